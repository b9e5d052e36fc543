import numpy as np
import pytest

from halp_mmaction.datasets.transforms import JointCorruption


def sample():
    keypoint = np.random.uniform(1, 2, (2, 6, 25, 3)).astype(np.float32)
    keypoint[1] = 0  # absent second person
    return keypoint


def changed_joints(before, after):
    return np.flatnonzero((before != after).any(axis=(0, 1, 3)))


def test_zeroing_hits_exactly_num_joints_everywhere():
    np.random.seed(0)
    keypoint = sample()
    out = JointCorruption(num_joints=7, p_zero=1.0)(
        dict(keypoint=keypoint.copy()))['keypoint']
    joints = changed_joints(keypoint, out)
    assert len(joints) == 7
    assert (out[:, :, joints] == 0).all()
    others = np.setdiff1d(np.arange(25), joints)
    np.testing.assert_array_equal(out[:, :, others], keypoint[:, :, others])


def test_mixing_uses_one_matrix_for_all_frames():
    np.random.seed(1)
    keypoint = sample()
    out = JointCorruption(num_joints=15, p_zero=0.0)(
        dict(keypoint=keypoint.copy()))['keypoint']
    assert out.dtype == np.float32
    joints = changed_joints(keypoint, out)
    assert len(joints) == 15
    src = keypoint[0][:, joints].reshape(-1, 3)
    dst = out[0][:, joints].reshape(-1, 3)
    mix = np.linalg.lstsq(src, dst, rcond=None)[0]  # dst = src @ mix
    np.testing.assert_allclose(src @ mix, dst, atol=1e-5)
    assert (np.abs(mix) <= 1).all()
    assert (out[1] == 0).all()


def test_input_array_not_mutated_and_zero_joints_noop():
    keypoint = sample()
    frozen = keypoint.copy()
    JointCorruption()(dict(keypoint=keypoint))
    np.testing.assert_array_equal(keypoint, frozen)
    out = JointCorruption(num_joints=0)(dict(keypoint=keypoint))['keypoint']
    np.testing.assert_array_equal(out, frozen)


def test_reproducible_under_seed():
    keypoint = sample()
    outs = []
    for _ in range(2):
        np.random.seed(5)
        outs.append(JointCorruption()(dict(keypoint=keypoint))['keypoint'])
    np.testing.assert_array_equal(*outs)


def test_bad_args_and_inputs():
    with pytest.raises(ValueError, match='JointCorruption: num_joints'):
        JointCorruption(num_joints=-1)
    with pytest.raises(ValueError, match='JointCorruption: p_zero'):
        JointCorruption(p_zero=1.5)
    with pytest.raises(ValueError, match='num_joints=15 exceeds the 10'):
        JointCorruption()(dict(keypoint=np.zeros((1, 4, 10, 3))))
    with pytest.raises(ValueError, match='C == 3'):
        JointCorruption()(dict(keypoint=np.zeros((1, 4, 25, 2))))
