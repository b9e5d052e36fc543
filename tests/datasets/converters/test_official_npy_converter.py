import pickle
import sys
import types

import numpy as np
import pytest
from converter_test_utils import (annotations_by_name, check_annotation,
                                  check_pose_dataset, load_pickle)

from halp_mmaction.datasets.converters.base import (ConversionError,
                                                    SkeletonParseError)
from halp_mmaction.datasets.converters.official_npy import \
    convert_official_npy

T_MAX = 20


def write_part(folder, part, num_frames, labels, two_person=(), names=None):
    """The CMD/AimCLR layout: (N, 3, T, 25, 2) zero-padded, num_frame,
    (names, labels) pickle."""
    rng = np.random.default_rng(len(num_frames))
    data = np.zeros((len(num_frames), 3, T_MAX, 25, 2), np.float32)
    for i, t in enumerate(num_frames):
        t = min(t, T_MAX)
        data[i, :, :t, :, 0] = rng.normal(size=(3, t, 25))
        if i in two_person:
            data[i, :, :t, :, 1] = rng.normal(size=(3, t, 25))
    if names is None:
        names = [f'S001C001P00{i}R001A0{int(part == "val")}{i}.skeleton'
                 for i in range(len(num_frames))]
    folder.mkdir(parents=True, exist_ok=True)
    np.save(folder / f'{part}_data_joint.npy', data)
    np.save(folder / f'{part}_num_frame.npy', np.asarray(num_frames))
    with open(folder / f'{part}_label.pkl', 'wb') as f:
        pickle.dump((names, list(labels)), f)
    return data


@pytest.fixture
def npy_dir(tmp_path):
    folder = tmp_path / 'NTU60' / 'xview'
    train = write_part(folder, 'train', [20, 7, 12], [0, 5, 59],
                       two_person=(1, ))
    val = write_part(folder, 'val', [3, 20], np.array([4, 2]))
    return folder, train, val


def test_converts_train_and_val(npy_dir, tmp_path):
    folder, train, val = npy_dir
    out = tmp_path / 'out.pkl'
    summary = convert_official_npy(folder, out, progress=False)
    data = load_pickle(out)
    assert data['split'] == {
        'xview_train': ['S001C001P000R001A000', 'S001C001P001R001A001',
                        'S001C001P002R001A002'],
        'xview_val': ['S001C001P000R001A010', 'S001C001P001R001A011'],
    }
    annos = annotations_by_name(out)
    for anno in annos.values():
        check_annotation(anno)
    one = annos['S001C001P001R001A001']  # two persons, 7 frames
    assert one['label'] == 5 and one['total_frames'] == 7
    np.testing.assert_array_equal(
        one['keypoint'], train[1, :, :7].transpose(3, 1, 2, 0))
    zero = annos['S001C001P000R001A000']  # one person: M = 1
    np.testing.assert_array_equal(
        zero['keypoint'], train[0, :, :, :, :1].transpose(3, 1, 2, 0))
    assert annos['S001C001P000R001A010']['keypoint'].shape == (1, 3, 25, 3)
    assert summary.num_samples == 5 and not summary.notes
    check_pose_dataset(out, 'xview_val')


def test_split_name(npy_dir, tmp_path):
    folder, _, _ = npy_dir
    convert_official_npy(folder, tmp_path / 'a.pkl', split_name='xset',
                         parts=['val'], progress=False)
    assert set(load_pickle(tmp_path / 'a.pkl')['split']) == {'xset_val'}
    plain = tmp_path / 'plain'
    plain.mkdir()
    for f in folder.iterdir():
        (plain / f.name).write_bytes(f.read_bytes())
    summary = convert_official_npy(plain, tmp_path / 'b.pkl', progress=False)
    assert set(load_pickle(tmp_path / 'b.pkl')['split']) == {
        'xsub_train', 'xsub_val'}
    assert '--split-name' in summary.format()


def test_invalid_samples(tmp_path):
    folder = tmp_path / 'xsub'
    data = write_part(folder, 'train', [5, 30, 4, 6], [1, 2, 3, 4])
    data[2, 0, 1, 3, 0] = np.nan
    data[3, :, :, :, 0] = 0
    np.save(folder / 'train_data_joint.npy', data)
    out = tmp_path / 'out.pkl'
    with pytest.raises(SkeletonParseError, match=r'sample 1 .*num_frame 30'):
        convert_official_npy(folder, out, parts=['train'], progress=False)
    assert not out.exists()
    summary = convert_official_npy(folder, out, parts=['train'],
                                   skip_invalid=True, progress=False)
    assert summary.num_samples == 1
    reasons = sorted(s.reason for s in summary.skipped)
    assert len(reasons) == 3
    assert 'sample 2 (S001C001P002R001A002): non-finite' in reasons[1]
    assert 'sample 3 (S001C001P003R001A003): the first person' in reasons[2]


def test_inconsistent_files(tmp_path):
    folder = tmp_path / 'xsub'
    write_part(folder, 'train', [5, 6], [1, 2], names=['a', 'b', 'c'])
    with pytest.raises(ConversionError, match='3 names but 2 labels'):
        convert_official_npy(folder, tmp_path / 'o.pkl', parts=['train'])
    write_part(folder, 'train', [5, 6], [1, 2])
    np.save(folder / 'train_num_frame.npy', np.array([5, 6, 7]))
    with pytest.raises(ConversionError, match='2 samples, but 3'):
        convert_official_npy(folder, tmp_path / 'o.pkl', parts=['train'])
    (folder / 'train_label.pkl').unlink()
    with pytest.raises(ConversionError, match='train_label.pkl not found'):
        convert_official_npy(folder, tmp_path / 'o.pkl', parts=['train'])


def _one_part(folder, data, labels=None, names=None, frames=None):
    folder.mkdir(parents=True, exist_ok=True)
    n = len(data)
    np.save(folder / 'train_data_joint.npy', data)
    np.save(folder / 'train_num_frame.npy',
            np.full(n, data.shape[2] if frames is None else frames))
    with open(folder / 'train_label.pkl', 'wb') as f:
        pickle.dump((names or [f'S001C001P00{i}R001A001' for i in range(n)],
                     [0] * n if labels is None else labels), f)


@pytest.mark.parametrize('data, message', [
    (np.ones((2, 3, 8, 20, 2), np.float32),
     r'20 joints per frame \(shape \(2, 3, 8, 20, 2\)\); the NTU layout of '
     'these sets has 25'),
    (np.ones((2, 3, 8, 25, 5), np.float32),
     r'5 persons .* these sets hold at most 2'),
    (np.full((2, 3, 8, 25, 2), 'x'), 'dtype <U1 is not numeric'),
    (np.ones((0, 3, 8, 25, 2), np.float32), 'holds no sample'),
    (np.ones((2, 8, 25, 2), np.float32), r'expected \(N, 3, T, V, M\)'),
])
def test_bad_arrays_are_refused_in_one_line(tmp_path, data, message):
    _one_part(tmp_path / 'xsub', data)
    out = tmp_path / 'o.pkl'
    with pytest.raises(ConversionError, match=message) as info:
        convert_official_npy(tmp_path / 'xsub', out, parts=['train'],
                             progress=False)
    assert not isinstance(info.value, SkeletonParseError)  # not skippable
    assert '\n' not in str(info.value) and not out.exists()


def test_labels_outside_the_classes_are_invalid_samples(tmp_path):
    _one_part(tmp_path / 'xsub', np.ones((3, 3, 8, 25, 2), np.float32),
              labels=[0, -1, 999])
    out = tmp_path / 'o.pkl'
    with pytest.raises(SkeletonParseError,
                       match=r'sample 1 \(S001C001P001R001A001\): label -1 '
                       r'outside 0..119'):
        convert_official_npy(tmp_path / 'xsub', out, parts=['train'],
                             progress=False)
    assert not out.exists()
    summary = convert_official_npy(tmp_path / 'xsub', out, parts=['train'],
                                   num_classes=60, skip_invalid=True,
                                   progress=False)
    assert summary.num_samples == 1
    assert [s.reason.split(': ', 1)[1] for s in summary.skipped] == [
        'label -1 outside 0..59 (pass --num-classes for another dataset)',
        'label 999 outside 0..59 (pass --num-classes for another dataset)']


def test_a_label_pickle_needing_a_missing_module_is_one_line(tmp_path):
    _one_part(tmp_path / 'xsub', np.ones((1, 3, 8, 25, 2), np.float32))
    # A pickle of an object whose class lives in a module this environment
    # lacks (made here, then removed).
    module = types.ModuleType('gone_module')

    class Thing:
        pass

    Thing.__module__, Thing.__qualname__ = 'gone_module', 'Thing'
    module.Thing = Thing
    sys.modules['gone_module'] = module
    try:
        blob = pickle.dumps(([Thing()], [0]))
    finally:
        del sys.modules['gone_module']
    (tmp_path / 'xsub' / 'train_label.pkl').write_bytes(blob)
    with pytest.raises(ConversionError) as info:
        convert_official_npy(tmp_path / 'xsub', tmp_path / 'o.pkl',
                             parts=['train'], progress=False)
    assert "ModuleNotFoundError: No module named 'gone_module'" in str(
        info.value)
    assert 'train_label.pkl: expected a pickle of (sample_names, labels)' \
        in str(info.value)


def test_values_beyond_float32_are_refused(tmp_path):
    data = np.ones((2, 3, 8, 25, 2), np.float64)
    data[1, 0, 3, 4, 0] = 1e39
    _one_part(tmp_path / 'xsub', data)
    with pytest.raises(SkeletonParseError,
                       match=r'sample 1 .*non-finite coordinates'):
        convert_official_npy(tmp_path / 'xsub', tmp_path / 'o.pkl',
                             parts=['train'], progress=False)
