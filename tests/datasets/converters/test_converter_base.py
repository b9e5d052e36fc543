import errno
import pickle

import numpy as np
import pytest

from halp_mmaction.datasets.converters import runner
from halp_mmaction.datasets.converters.base import (ConversionError, Sample,
                                                    SkeletonParseError, Skip,
                                                    TaskResult, skipped_path)
from halp_mmaction.datasets.converters.parsing import parse_float_rows
from halp_mmaction.datasets.converters.runner import (atomic_write,
                                                      run_conversion)

SPLITS = ('train', 'val')


def _convert(task):
    """A toy format: task = (name, kind)."""
    name, kind = task
    if kind == 'bad':
        raise SkeletonParseError(f'{name}.txt', 'not a number: x', 3)
    if kind == 'crash':
        raise RuntimeError('disk on fire')
    if kind == 'excluded':
        return TaskResult(skipped=[Skip(f'{name}.txt', 'not in protocol')])
    keypoint = np.full((1, 4, 25, 3), len(name), np.float32)
    anno = dict(frame_dir=name, label=len(name) % 3, keypoint=keypoint,
                total_frames=4)
    return TaskResult(samples=[Sample(anno, (kind, ))])


def _leftovers(folder):
    return sorted(p.name for p in folder.iterdir())


def test_writes_pickle_splits_and_side_file(tmp_path):
    out = tmp_path / 'sub' / 'out.pkl'
    tasks = [('a', 'train'), ('bb', 'val'), ('ccc', 'excluded'),
             ('dddd', 'train')]
    summary = run_conversion(tasks, _convert, out, SPLITS, progress=False)
    data = pickle.loads(out.read_bytes())
    assert data['split'] == {'train': ['a', 'dddd'], 'val': ['bb']}
    assert [a['frame_dir'] for a in data['annotations']] == ['a', 'bb', 'dddd']
    assert skipped_path(out).read_text() == 'ccc.txt\tnot in protocol\n'
    assert summary.split_sizes == {'train': 2, 'val': 1}
    text = summary.format()
    assert 'Wrote 3 samples' in text and '1 x not in protocol' in text
    assert _leftovers(out.parent) == ['out.pkl', 'out.pkl.skipped.txt']


def test_invalid_stops_unless_skipped(tmp_path):
    out = tmp_path / 'out.pkl'
    tasks = [('a', 'train'), ('b', 'bad'), ('c', 'val')]
    with pytest.raises(SkeletonParseError) as info:
        run_conversion(tasks, _convert, out, SPLITS, progress=False)
    assert str(info.value) == 'b.txt, line 3: not a number: x'
    assert _leftovers(tmp_path) == []

    summary = run_conversion(tasks, _convert, out, SPLITS, progress=False,
                             skip_invalid=True)
    assert summary.num_samples == 2
    assert skipped_path(out).read_text() == 'b.txt\tline 3: not a number: x\n'
    assert 'b.txt: line 3: not a number: x' in summary.format()


@pytest.mark.parametrize('workers', [1, 2])
def test_failure_mid_conversion_leaves_no_output(tmp_path, workers):
    out = tmp_path / 'out.pkl'
    tasks = [('a', 'train'), ('b', 'val'), ('c', 'crash'), ('d', 'train')]
    with pytest.raises(RuntimeError, match='disk on fire'):
        run_conversion(tasks, _convert, out, SPLITS, workers=workers,
                       progress=False)
    assert _leftovers(tmp_path) == []


def test_failure_while_writing_keeps_old_output(tmp_path, monkeypatch):
    out = tmp_path / 'out.pkl'
    out.write_bytes(b'old')

    def dump_half(obj, f, protocol=None):
        f.write(pickle.dumps(obj)[:10])
        raise OSError(errno.ENOSPC, 'No space left on device')

    monkeypatch.setattr(runner.pickle, 'dump', dump_half)
    with pytest.raises(ConversionError,
                       match='cannot write .*out.pkl: No space left on '
                       'device; nothing was written'):
        run_conversion([('a', 'train')], _convert, out, SPLITS,
                       overwrite=True, progress=False)
    assert out.read_bytes() == b'old'
    assert _leftovers(tmp_path) == ['out.pkl']


def test_atomic_write_interrupted(tmp_path):
    out = tmp_path / 'x.bin'

    def write(f):
        f.write(b'partial')
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        atomic_write(out, write)
    assert _leftovers(tmp_path) == []


def test_refuses_to_overwrite(tmp_path):
    out = tmp_path / 'out.pkl'
    out.write_bytes(b'old')
    with pytest.raises(ConversionError, match='--overwrite'):
        run_conversion([('a', 'train')], _convert, out, SPLITS,
                       progress=False)
    assert out.read_bytes() == b'old'
    run_conversion([('a', 'train')], _convert, out, SPLITS, overwrite=True,
                   progress=False)
    assert pickle.loads(out.read_bytes())['split']['train'] == ['a']


def test_workers_give_the_same_output(tmp_path):
    tasks = [(name, 'train' if i % 2 else 'val')
             for i, name in enumerate('abcdefghij')]
    for workers in (1, 2):
        run_conversion(tasks, _convert, tmp_path / f'{workers}.pkl', SPLITS,
                       workers=workers, progress=False)
    one, two = (pickle.loads((tmp_path / f'{w}.pkl').read_bytes())
                for w in (1, 2))
    assert one['split'] == two['split']
    assert [a['frame_dir'] for a in one['annotations']] == \
        [a['frame_dir'] for a in two['annotations']]


def test_nothing_valid_is_an_error(tmp_path):
    with pytest.raises(ConversionError, match='no valid sample'):
        run_conversion([], _convert, tmp_path / 'o.pkl', SPLITS,
                       progress=False)
    assert _leftovers(tmp_path) == []
    # Everything skipped: the reasons are in the error and in the listing,
    # and still no pickle is written.
    with pytest.raises(ConversionError) as info:
        run_conversion([('a', 'excluded'), ('b', 'bad')], _convert,
                       tmp_path / 'o.pkl', SPLITS, skip_invalid=True,
                       progress=False)
    message = str(info.value)
    assert 'no valid sample found, nothing written: 2 file(s)' in message
    assert '2 skipped (every one listed in' in message
    assert '1 x not in protocol' in message
    assert '1 x line 3: not a number: x' in message
    assert _leftovers(tmp_path) == ['o.pkl.skipped.txt']
    assert (tmp_path / 'o.pkl.skipped.txt').read_text().count('\n') == 2


def test_duplicate_names_are_an_error(tmp_path):
    with pytest.raises(ConversionError, match="two samples are named 'a'"):
        run_conversion([('a', 'train'), ('a', 'val')], _convert,
                       tmp_path / 'o.pkl', SPLITS, progress=False)


def test_parse_error_survives_pickling():
    err = SkeletonParseError('f.txt', 'bad', 7)
    copy = pickle.loads(pickle.dumps(err))
    assert (copy.path, copy.msg, copy.line) == ('f.txt', 'bad', 7)
    assert str(copy) == 'f.txt, line 7: bad'
    assert str(SkeletonParseError('f.txt', 'empty')) == 'f.txt: empty'


@pytest.mark.parametrize('rows, line, message', [
    (['1 2 3', '4 5', '7 8 9'], 21, 'expected 3 numbers, found 2'),
    (['1 2 3', '4 5 6 7', '7 8 9'], 21, 'expected 3 numbers, found 4'),
    (['1 2 3', '4 x 6', '7 8 9'], 21, "not a number: 'x'"),
    (['1 2 3', '', '7 8 9'], 21, 'expected 3 numbers, found 0'),
    (['1 2 3', '4 5 6', '7 nan 9'], 22, 'non-finite value (nan)'),
    (['1 2 3', '4 5 -inf', '7 8 9'], 21, 'non-finite value (-inf)'),
])
def test_parse_float_rows_names_the_line(rows, line, message):
    with pytest.raises(SkeletonParseError) as info:
        parse_float_rows('f.txt', rows, [20, 21, 22], 3)
    assert info.value.line == line
    assert info.value.msg == message


def test_parse_float_rows():
    values = parse_float_rows('f.txt', ['1 2 3 ', ' -4.5e-1\t5 6'], [1, 2], 3)
    np.testing.assert_array_equal(values, [[1, 2, 3], [-0.45, 5, 6]])


def test_an_unwritable_output_folder_stops_before_any_work(tmp_path,
                                                           monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, 'Permission denied')

    monkeypatch.setattr(runner.tempfile, 'mkstemp', refuse)
    # The 'crash' task would raise RuntimeError if it ran.
    with pytest.raises(ConversionError,
                       match=r'cannot write to .* \(for .*out.pkl\): '
                       'Permission denied'):
        run_conversion([('a', 'crash')], _convert, tmp_path / 'new' /
                       'out.pkl', SPLITS, progress=False)
    assert _leftovers(tmp_path) == []


def test_a_full_disk_stops_before_any_work(tmp_path, monkeypatch):
    usage = runner.shutil.disk_usage(tmp_path)
    monkeypatch.setattr(runner.shutil, 'disk_usage',
                        lambda path: usage._replace(free=3 * 2**20))
    with pytest.raises(ConversionError,
                       match=r'not enough room for .*out.pkl: the output '
                       r'needs about 10.0 MiB and .* has 3.0 MiB free'):
        run_conversion([('a', 'crash')], _convert, tmp_path / 'out.pkl',
                       SPLITS, progress=False, expected_bytes=10 * 2**20)
    assert _leftovers(tmp_path) == []
    # Room enough: converts.
    run_conversion([('a', 'train')], _convert, tmp_path / 'out.pkl', SPLITS,
                   progress=False, expected_bytes=2**20)
    assert (tmp_path / 'out.pkl').exists()


def test_only_skippable_errors_are_marked_so():
    from halp_mmaction.datasets.converters.base import handle_invalid
    err = SkeletonParseError('f.txt', 'bad', 3)
    assert not err.skippable  # raised directly (e.g. a broken split file)
    with pytest.raises(SkeletonParseError) as info:
        handle_invalid(err, skip_invalid=False)
    assert info.value.skippable
