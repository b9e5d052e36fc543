import numpy as np
import pytest
from converter_test_utils import (annotations_by_name, check_annotation,
                                  check_pose_dataset, load_pickle,
                                  shared_data)

from halp_mmaction.datasets.converters.base import (SkeletonParseError,
                                                    skipped_path)
from halp_mmaction.datasets.converters.pku_mmd import (convert_pku_mmd,
                                                       read_labels,
                                                       read_skeleton,
                                                       read_split_file)

SPLIT_TEXT = ('Training videos: \n{train}\nValidataion videos: \n{val}\n')


def write_split_files(folder, xsub, xview):
    """xsub / xview: (train videos, val videos)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, (train, val) in (('cross_subject_v2.txt', xsub),
                               ('cross_view_v2.txt', xview)):
        (folder / name).write_text(
            SPLIT_TEXT.format(train=', '.join(train), val=', '.join(val)))


def write_skeleton(path, frames):
    """frames: (T, 150) -> one line per frame, as released (leading space)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(''.join(' ' + ' '.join(f'{v:.6f}' for v in row) + '\n'
                            for row in frames))


def write_labels(path, intervals):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(''.join(f'{label},{start},{end},{conf}\n'
                            for label, start, end, conf in intervals))


def skeleton_frames(num_frames, second_from=None, seed=0):
    rng = np.random.default_rng(seed)
    frames = np.round(rng.uniform(-1, 3, (num_frames, 150)), 6)
    if second_from is not None:
        frames[:second_from, 75:] = 0
    return frames


@pytest.fixture
def pku(tmp_path):
    root = tmp_path / 'pku'
    write_skeleton(root / 'skeleton' / 'A01N01-L.txt', skeleton_frames(40, 20))
    write_skeleton(root / 'skeleton' / 'A01N01-M.txt',
                   skeleton_frames(30, 0, seed=1))
    write_skeleton(root / 'skeleton' / 'A02N05-R.txt',
                   skeleton_frames(25, seed=2))
    write_labels(root / 'label' / 'A01N01-L.txt',
                 [(3, 0, 10, 1), (12, 15, 40, 2)])
    write_labels(root / 'label' / 'A01N01-M.txt', [(51, 5, 30, 1)])
    write_labels(root / 'label' / 'A02N05-R.txt', [(1, 0, 25, 1)])
    write_split_files(root / 'split',
                      xsub=(['A01N01-L', 'A01N01-M'], ['A02N05-R']),
                      xview=(['A01N01-M', 'A02N05-R'], ['A01N01-L']))
    return root


def _convert(root, out, **kw):
    return convert_pku_mmd(root / 'skeleton', root / 'label', root / 'split',
                           out, progress=False, **kw)


def test_one_sample_per_interval(pku, tmp_path):
    out = tmp_path / 'pku_mmd2_3d.pkl'
    summary = _convert(pku, out)
    data = load_pickle(out)
    assert data['split'] == {
        'xsub_train': ['A01N01-L_0001', 'A01N01-L_0002', 'A01N01-M_0001'],
        'xsub_val': ['A02N05-R_0001'],
        'xview_train': ['A01N01-M_0001', 'A02N05-R_0001'],
        'xview_val': ['A01N01-L_0001', 'A01N01-L_0002'],
    }
    annos = annotations_by_name(out)
    for anno in annos.values():
        check_annotation(anno)
    raw = skeleton_frames(40, 20).reshape(40, 2, 25, 3).transpose(1, 0, 2, 3)
    first, second = annos['A01N01-L_0001'], annos['A01N01-L_0002']
    # frames [0, 10): the second body is all zeros there, so dropped
    assert first['label'] == 2 and first['total_frames'] == 10
    np.testing.assert_array_equal(first['keypoint'],
                                  raw[:1, 0:10].astype(np.float32))
    # frames [15, 40): the second person enters at frame 20, so kept
    assert second['label'] == 11 and second['keypoint'].shape == (2, 25, 25, 3)
    np.testing.assert_array_equal(second['keypoint'],
                                  raw[:, 15:40].astype(np.float32))
    assert annos['A01N01-M_0001']['label'] == 50
    assert summary.num_samples == 4 and not summary.skipped
    check_pose_dataset(out, 'xview_val')


def test_interval_past_the_end(pku, tmp_path):
    label_file = pku / 'label' / 'A01N01-L.txt'
    write_labels(label_file, [(3, 0, 10, 1), (4, 30, 41, 1), (5, 11, 12, 1)])
    out = tmp_path / 'out.pkl'
    with pytest.raises(SkeletonParseError) as info:
        _convert(pku, out)
    assert info.value.path == str(label_file) and info.value.line == 2
    assert 'A01N01-L_0002: interval [30, 41) ends past the skeleton ' \
        '(40 frames' in info.value.msg
    assert not out.exists()

    summary = _convert(pku, out, skip_invalid=True)
    names = annotations_by_name(out)
    assert 'A01N01-L_0001' in names and 'A01N01-L_0003' in names
    assert 'A01N01-L_0002' not in names
    assert summary.num_samples == 4
    listing = skipped_path(out).read_text()
    assert listing.startswith(f'{label_file}\tline 2: A01N01-L_0002: ')


def test_missing_and_unlisted_videos(pku, tmp_path):
    (pku / 'label' / 'A02N05-R.txt').unlink()
    write_skeleton(pku / 'skeleton' / 'A09N09-L.txt', skeleton_frames(5))
    with pytest.raises(SkeletonParseError, match='A02N05-R.txt.*not exist'):
        _convert(pku, tmp_path / 'out.pkl')
    summary = _convert(pku, tmp_path / 'out.pkl', skip_invalid=True)
    reasons = {s.name: s.reason for s in summary.skipped}
    assert reasons[str(pku / 'skeleton' / 'A09N09-L.txt')] == \
        'not in any split file'
    assert 'does not exist' in reasons[str(pku / 'label' / 'A02N05-R.txt')]
    assert summary.split_sizes['xsub_val'] == 0


@pytest.mark.parametrize('text', [
    'Training videos: \nA01N01-L, A01N01-M\nValidataion videos: \nA02N05-R\n',
    'Training videos: \r\nA01N01-L, A01N01-M, \r\n\r\nValidataion videos: '
    '\r\nA02N05-R,\r\n',
    'training videos:A01N01-L.txt,A01N01-M.txt validation videos: A02N05-R',
    'Training videos: A01N01-L,\n  A01N01-M\nValidataion videos:\nA02N05-R',
])
def test_split_file_variants(tmp_path, text):
    path = tmp_path / 'cross_subject_v2.txt'
    path.write_bytes(text.encode())
    assert read_split_file(path) == (['A01N01-L', 'A01N01-M'], ['A02N05-R'])


@pytest.mark.parametrize('text, message', [
    ('A01N01-L, A01N01-M\n', "'Training videos:'"),
    ('Validataion videos: a\nTraining videos: b\n', 'comes before'),
    ('Training videos: a, b\nValidataion videos: b\n', 'both in training'),
    ('Training videos: a, b/c\nValidataion videos: d\n', 'not a video name'),
])
def test_bad_split_files(tmp_path, text, message):
    path = tmp_path / 'cross_view_v2.txt'
    path.write_text(text)
    with pytest.raises(SkeletonParseError, match=message):
        read_split_file(path)


@pytest.mark.parametrize('text, line, message', [
    ('3,0,10,1\n3,0,x,1\n', 2, 'expected label,start,end,confidence'),
    ('3,0,10,1\n\n3,0,10\n52,0,10,1\n', 4, 'label 52 outside 1..51'),
    ('3,10,10,1\n', 1, 'bad interval [10, 10)'),
    ('3,-1,10,1\n', 1, 'bad interval [-1, 10)'),
    ('\n', None, 'no labelled interval'),
])
def test_bad_label_files(tmp_path, text, line, message):
    path = tmp_path / 'A01N01-L.txt'
    path.write_text(text)
    with pytest.raises(SkeletonParseError) as info:
        read_labels(path)
    assert message in info.value.msg and info.value.line == line


def test_label_file_variants(tmp_path):
    path = tmp_path / 'A01N01-L.txt'
    path.write_bytes(b'3,0,10,1\r\n 4, 10, 20 ,2,\r\n\r\n5,20,30\r\n')
    assert read_labels(path) == [(3, 0, 10, 1), (4, 10, 20, 2), (5, 20, 30, 4)]


def test_bad_skeleton_rows(tmp_path):
    path = tmp_path / 'A01N01-L.txt'
    frames = skeleton_frames(4)
    write_skeleton(path, frames)
    lines = path.read_text().splitlines()
    lines[2] = lines[2].rsplit(' ', 1)[0]
    path.write_text('\n'.join(lines) + '\n')
    with pytest.raises(SkeletonParseError) as info:
        read_skeleton(path)
    assert info.value.line == 3 and 'found 149' in info.value.msg
    path.write_text('')
    with pytest.raises(SkeletonParseError, match='empty file'):
        read_skeleton(path)
    # A value beyond float32 would come out as -inf in the pickle.
    write_skeleton(path, frames)
    lines = path.read_text().splitlines()
    lines[3] = ' '.join(lines[3].split()[:5] + ['-5e38'] +
                        lines[3].split()[6:])
    path.write_text('\n'.join(lines) + '\n')
    with pytest.raises(SkeletonParseError) as info:
        read_skeleton(path)
    assert info.value.line == 4
    assert 'value -5e+38 is beyond the float32 range' in info.value.msg


def test_real_skeleton_file(tmp_path):
    real = shared_data('pku_mmd_v2', 'A10N08-L.txt')
    raw = np.loadtxt(real).reshape(-1, 2, 25, 3).transpose(1, 0, 2, 3)
    assert raw.shape == (2, 1040, 25, 3)
    np.testing.assert_array_equal(read_skeleton(real),
                                  raw.astype(np.float32))

    label_dir, split_dir = tmp_path / 'label', tmp_path / 'split'
    intervals = [(10, 0, 120, 1), (12, 300, 420, 2), (41, 900, 1040, 1)]
    write_labels(label_dir / 'A10N08-L.txt', intervals)
    write_split_files(split_dir, xsub=(['A10N08-L'], []),
                      xview=([], ['A10N08-L']))
    out = tmp_path / 'pku_mmd2_3d.pkl'
    convert_pku_mmd(real.parent, label_dir, split_dir, out, progress=False)
    annos = annotations_by_name(out)
    assert sorted(annos) == ['A10N08-L_0001', 'A10N08-L_0002',
                             'A10N08-L_0003']
    for k, (label, start, end, _) in enumerate(intervals, 1):
        anno = annos[f'A10N08-L_{k:04d}']
        check_annotation(anno)
        assert anno['label'] == label - 1
        assert anno['total_frames'] == end - start
        # the second person is tracked from frame 312 on
        bodies = 1 if end <= 312 else 2
        np.testing.assert_array_equal(
            anno['keypoint'], raw[:bodies, start:end].astype(np.float32))
    assert load_pickle(out)['split']['xview_val'] == sorted(annos)
    check_pose_dataset(out, 'xsub_train')
