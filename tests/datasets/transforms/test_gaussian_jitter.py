import numpy as np
import pytest

from halp_mmaction.datasets.transforms import GaussianJitter


def test_noise_only_on_present_joints():
    np.random.seed(0)
    keypoint = np.random.randn(2, 64, 25, 3).astype(np.float32)
    keypoint[1] = 0  # absent person
    keypoint[0, :, 5] = 0  # zeroed joint
    out = GaussianJitter(std=0.1)(dict(keypoint=keypoint.copy()))['keypoint']
    assert out.shape == keypoint.shape and out.dtype == np.float32
    assert (out[1] == 0).all() and (out[0, :, 5] == 0).all()
    noise = np.delete(out[0] - keypoint[0], 5, axis=1)
    assert (noise != 0).all()
    assert abs(noise.mean()) < 0.01 and 0.09 < noise.std() < 0.11


def test_std_zero_is_identity_and_seeded():
    keypoint = np.random.randn(2, 5, 25, 3).astype(np.float32)
    out = GaussianJitter(std=0)(dict(keypoint=keypoint.copy()))['keypoint']
    np.testing.assert_array_equal(out, keypoint)
    outs = []
    for _ in range(2):
        np.random.seed(4)
        outs.append(GaussianJitter()(dict(keypoint=keypoint))['keypoint'])
    np.testing.assert_array_equal(*outs)


def test_bad_args():
    with pytest.raises(ValueError, match='GaussianJitter: std must be >= 0'):
        GaussianJitter(std=-0.1)
