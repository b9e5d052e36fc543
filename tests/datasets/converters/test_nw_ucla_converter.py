import json

import numpy as np
import pytest
from converter_test_utils import (annotations_by_name, check_annotation,
                                  check_pose_dataset, load_pickle,
                                  shared_data)

from halp_mmaction.datasets.converters.base import (ConversionError,
                                                    SkeletonParseError)
from halp_mmaction.datasets.converters.kinect_v1 import KINECT_V1_JOINTS
from halp_mmaction.datasets.converters.msr_action3d import (MSR_ORDER,
                                                            msr_to_ntu)
from halp_mmaction.datasets.converters.nw_ucla import (
    ACTION_LABELS, convert_nw_ucla, parse_nw_ucla_name,
    read_nw_ucla_skeleton)


def ucla_joints(num_frames, seed=0):
    rng = np.random.default_rng(seed)
    return np.round(rng.uniform(-1, 3, (num_frames, 20, 3)), 6)


def write_ucla(folder, name, joints, label=None, **extra):
    folder.mkdir(parents=True, exist_ok=True)
    action = int(name[1:3])
    record = dict(file_name=name, skeletons=np.asarray(joints).tolist(),
                  label=ACTION_LABELS[action] if label is None else label)
    record.update(extra)
    path = folder / f'{name}.json'
    path.write_text(json.dumps(record))
    return path


def test_same_mapping_as_msr_action3d():
    """Both Kinect v1 sets map the same named joints: N-UCLA's SDK order
    permuted into MSR's order gives MSR's mapping."""
    joints = ucla_joints(3)
    msr_order = joints[:, [KINECT_V1_JOINTS.index(j) for j in MSR_ORDER]]
    from halp_mmaction.datasets.converters.nw_ucla import MAPPING
    np.testing.assert_allclose(np.einsum('nm,tmc->tnc', MAPPING, joints),
                               msr_to_ntu(msr_order))


def test_names_and_labels():
    assert parse_nw_ucla_name('a12_s03_e04_v02.json') == (12, 3, 4, 2)
    for bad in ('a07_s01_e00_v01.json', 'a01_s11_e00_v01.json',
                'a01_s01_e00_v04.json', 'a01_s01_e00_v01.txt'):
        with pytest.raises(SkeletonParseError, match='file name|outside'):
            parse_nw_ucla_name(bad)


@pytest.mark.parametrize('edit, message', [
    (lambda r: r.update(skeletons=[]), 'empty sequence'),
    (lambda r: r.update(skeletons=[[[0, 0, 0]] * 19]),
     r'shape \(1, 19, 3\), expected \(T, 20, 3\)'),
    (lambda r: r.update(skeletons=[[[0, 0, 0]] * 20, [[0, 0]] * 20]),
     'frames of different sizes'),
    (lambda r: r['skeletons'][1][4].__setitem__(2, 1e39),
     r'frame 1, joint 4, coordinate z: value 1e\+39 is beyond the float32'),
    (lambda r: r['skeletons'][0][0].__setitem__(0, float('nan')),
     r'frame 0, joint 0, coordinate x: non-finite value \(nan\)'),
    (lambda r: r.update(label='one'), '"label" must be an int'),
    (lambda r: r.pop('skeletons'), 'expected a JSON object with'),
    (lambda r: r.update(file_name='a01_s01_e00_v02'), '"file_name" is'),
])
def test_malformed_files(tmp_path, edit, message):
    record = dict(file_name='a01_s01_e00_v01',
                  skeletons=ucla_joints(3).tolist(), label=1)
    edit(record)
    path = tmp_path / 'a01_s01_e00_v01.json'
    path.write_text(json.dumps(record))
    with pytest.raises(SkeletonParseError, match=message) as info:
        read_nw_ucla_skeleton(path)
    assert info.value.path == str(path)


def test_not_json(tmp_path):
    path = tmp_path / 'a01_s01_e00_v01.json'
    path.write_text('{"skeletons": [[1, 2\n')
    with pytest.raises(SkeletonParseError, match='not valid JSON') as info:
        read_nw_ucla_skeleton(path)
    assert info.value.line == 2


def test_convert(tmp_path):
    root = tmp_path / 'all_sqe'
    write_ucla(root, 'a01_s01_e00_v01', ucla_joints(5))
    write_ucla(root, 'a11_s02_e01_v03', ucla_joints(6, seed=1))
    write_ucla(root, 'a02_s09_e04_v02', ucla_joints(1, seed=2))  # one frame
    write_ucla(root, 'a12_s03_e00_v01', ucla_joints(4), label=3)  # mislabelled
    (root / 'readme.txt').write_text('not data')
    out = tmp_path / 'nw_ucla_3d.pkl'
    with pytest.raises(SkeletonParseError,
                       match='"label" is 3, but action a12 has label 10'):
        convert_nw_ucla(root, out, progress=False)
    assert not out.exists()
    summary = convert_nw_ucla(root, out, skip_invalid=True, progress=False)
    assert load_pickle(out)['split'] == {
        'xview_train': ['a01_s01_e00_v01', 'a02_s09_e04_v02'],
        'xview_val': ['a11_s02_e01_v03']}
    annos = annotations_by_name(out)
    for anno in annos.values():
        check_annotation(anno)
    assert annos['a11_s02_e01_v03']['label'] == 8  # a11 is the 9th class
    assert annos['a02_s09_e04_v02']['keypoint'].shape == (1, 1, 25, 3)
    assert 'readme.txt' in summary.format()
    with pytest.raises(ConversionError, match=r'no \*\.json file'):
        convert_nw_ucla(tmp_path / 'all_sqe' / '..', tmp_path / 'x.pkl')


def test_real_dataset(tmp_path):
    root = shared_data('nw_ucla', 'all_sqe')
    out = tmp_path / 'nw_ucla_3d.pkl'
    summary = convert_nw_ucla(root, out, workers=2, progress=False)
    assert summary.num_samples == 1484 and not summary.skipped
    assert summary.split_sizes == {'xview_train': 1020, 'xview_val': 464}
    annos = annotations_by_name(out)
    first = annos['a01_s01_e00_v01']
    assert first['label'] == 0 and first['keypoint'].shape == (1, 44, 25, 3)
    # Frame 0: NTU joint 1 (base of spine) is the hip centre, SDK joint 0;
    # the left shoulder (NTU 5) is SDK joint 4.
    np.testing.assert_array_equal(
        first['keypoint'][0, 0, 0],
        np.float32([-0.619699, 0.328046, 3.18186]))
    raw = json.loads((root / 'a01_s01_e00_v01.json').read_text())
    np.testing.assert_array_equal(first['keypoint'][0, 0, 4],
                                  np.float32(raw['skeletons'][0][4]))
    for name in ('a02_s09_e04_v02', 'a02_s09_e04_v03'):
        assert annos[name]['keypoint'].shape == (1, 1, 25, 3)
    labels = np.bincount([a['label'] for a in annos.values()])
    assert labels.tolist() == [150, 152, 141, 173, 148, 149, 142, 142, 145,
                               142]
    check_pose_dataset(out, 'xview_val')
