import numpy as np
import pytest
from converter_test_utils import (annotations_by_name, check_annotation,
                                  check_pose_dataset, load_pickle,
                                  shared_data)

from halp_mmaction.datasets.converters.base import (ConversionError,
                                                    SkeletonParseError,
                                                    skipped_path)
from halp_mmaction.datasets.converters.kinect_v1 import NTU_FROM_KINECT_V1
from halp_mmaction.datasets.converters.msr_action3d import (
    convert_msr_action3d, msr_to_ntu, parse_msr_name, read_msr_skeleton)


def msr_joints(num_frames, seed=0):
    rng = np.random.default_rng(seed)
    return np.round(rng.uniform(-1, 3, (num_frames, 20, 3)), 6)


def write_msr(path, joints, confidence=1.0):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(''.join(f'{x:.6f} {y:.6f} {z:.6f} {confidence:.6f}\n'
                            for x, y, z in joints.reshape(-1, 3)))
    return path


def test_joint_mapping():
    msr = msr_joints(3)
    ntu = msr_to_ntu(msr)
    assert ntu.shape == (3, 25, 3)
    one_to_one = {1: 7, 2: 4, 4: 20, 5: 1, 6: 8, 7: 10, 8: 12, 9: 2, 10: 9,
                  11: 11, 12: 13, 13: 5, 14: 14, 15: 16, 16: 18, 17: 6,
                  18: 15, 19: 17, 20: 19, 21: 3, 22: 12, 23: 12, 24: 13,
                  25: 13}
    for n, m in one_to_one.items():
        np.testing.assert_array_equal(ntu[:, n - 1], msr[:, m - 1])
    np.testing.assert_allclose(ntu[:, 2], (2 * msr[:, 2] + msr[:, 19]) / 3)
    assert sorted(NTU_FROM_KINECT_V1) == list(range(1, 26))
    for sources in NTU_FROM_KINECT_V1.values():
        assert sum(sources.values()) == pytest.approx(1)
    # untracked frames stay zeros
    assert not msr_to_ntu(np.zeros((2, 20, 3))).any()


def test_read_and_names(tmp_path):
    joints = msr_joints(4)
    path = write_msr(tmp_path / 'a05_s03_e02_skeleton3D.txt', joints)
    np.testing.assert_array_equal(read_msr_skeleton(path), joints)
    assert parse_msr_name(path) == (5, 3, 2)
    for bad in ('a5_s03_e02_skeleton3D.txt', 'a21_s01_e01_skeleton3D.txt',
                'a01_s11_e01_skeleton3D.txt', 'a01_s01_e01_skeleton.txt'):
        with pytest.raises(SkeletonParseError, match='file name|outside'):
            parse_msr_name(tmp_path / bad)


@pytest.mark.parametrize('edit, line, message', [
    (lambda L: L[:-1], 61, 'not a multiple of 20 (the last frame has 19)'),
    (lambda L: L[:5] + ['1 2 3'] + L[6:], 6, 'expected 4 numbers, found 3'),
    (lambda L: L[:5] + ['1 2 inf 1'] + L[6:], 6, 'non-finite value (inf)'),
    (lambda L: L[:5] + ['1 2 NaN 1'] + L[6:], 6, 'non-finite value (nan)'),
    (lambda L: L[:5] + ['1 2 3 x'] + L[6:], 6, "not a number: 'x'"),
    (lambda L: [''], 1, 'empty file'),
])
def test_malformed_files(tmp_path, edit, line, message):
    path = write_msr(tmp_path / 'a01_s01_e01_skeleton3D.txt', msr_joints(4))
    path.write_text('\n'.join(edit(path.read_text().splitlines())) + '\n')
    with pytest.raises(SkeletonParseError) as info:
        read_msr_skeleton(path)
    assert info.value.line == line and message in info.value.msg
    assert info.value.path == str(path)


def test_convert(tmp_path):
    root = tmp_path / 'msr'
    write_msr(root / 'a01_s01_e01_skeleton3D.txt', msr_joints(5))
    write_msr(root / 'a20_s02_e03_skeleton3D.txt', msr_joints(6, seed=1))
    partly = msr_joints(7, seed=2)
    partly[:3] = 0  # not tracked in the first frames
    write_msr(root / 'a07_s09_e01_skeleton3D.txt', partly)
    write_msr(root / 'a13_s09_e02_skeleton3D.txt', np.zeros((3, 20, 3)), 0.)
    (root / 'drawskt.m').write_text('% not data\n')
    out = tmp_path / 'msr_action3d_3d.pkl'

    with pytest.raises(SkeletonParseError, match='a13_s09_e02.*all .*zero'):
        convert_msr_action3d(root, out, progress=False)
    assert not out.exists()

    summary = convert_msr_action3d(root, out, skip_invalid=True,
                                   progress=False)
    data = load_pickle(out)
    assert data['split'] == {'xsub_train': ['a01_s01_e01', 'a07_s09_e01'],
                             'xsub_val': ['a20_s02_e03']}
    annos = annotations_by_name(out)
    for anno in annos.values():
        check_annotation(anno)
    assert annos['a20_s02_e03']['label'] == 19
    assert annos['a07_s09_e01']['keypoint'].shape == (1, 7, 25, 3)
    assert not annos['a07_s09_e01']['keypoint'][0, :3].any()
    np.testing.assert_allclose(annos['a01_s01_e01']['keypoint'][0],
                               msr_to_ntu(msr_joints(5)), rtol=1e-6)
    assert skipped_path(out).read_text() == (
        f'{root / "a13_s09_e02_skeleton3D.txt"}\t'
        'all coordinates are zero (no skeleton tracked)\n')
    assert 'drawskt.m' in summary.format()
    check_pose_dataset(out, 'xsub_train')

    with pytest.raises(ConversionError, match='no \\*_skeleton3D.txt'):
        convert_msr_action3d(tmp_path, tmp_path / 'o.pkl')


def test_real_dataset(tmp_path):
    root = shared_data('msr_action3d')
    out = tmp_path / 'msr_action3d_3d.pkl'
    summary = convert_msr_action3d(root, out, skip_invalid=True, workers=2,
                                   progress=False)
    assert summary.num_samples == 566
    assert summary.split_sizes == {'xsub_train': 291, 'xsub_val': 275}
    assert [(s.name, s.reason) for s in summary.skipped] == [
        (str(root / 'a13_s09_e02_skeleton3D.txt'),
         'all coordinates are zero (no skeleton tracked)')
    ]
    annos = annotations_by_name(out)
    assert len({a['label'] for a in annos.values()}) == 20
    # NTU axes: y up (head above feet), the subject's left toward -x
    keypoint = np.concatenate([a['keypoint'][0] for a in annos.values()])
    tracked = np.abs(keypoint).sum((1, 2)) > 0
    keypoint = keypoint[tracked]
    assert (keypoint[:, 3, 1] > keypoint[:, [15, 19], 1].max(1)).mean() > .99
    assert (keypoint[:, 4, 0] < keypoint[:, 8, 0]).mean() > .95
    # "high arm wave" is done with the right arm: NTU right hand (12) goes
    # higher than the left hand (8)
    waves = [a['keypoint'][0] for a in annos.values() if a['label'] == 0]
    right_up = [w[:, 11, 1].max() > w[:, 7, 1].max() for w in waves]
    assert np.mean(right_up) > .9
    check_pose_dataset(out, 'xsub_val')
