import numpy as np
import pytest
from mmaction.models.utils import Graph

from halp_mmaction.datasets.transforms import RandomRotation
from halp_mmaction.datasets.transforms.random_rotation import rotation_matrix

NTU_BONES = np.array(Graph(layout='nturgb+d').inward)


def bone_lengths(keypoint):
    bones = keypoint[..., NTU_BONES[:, 0], :] - keypoint[..., NTU_BONES[:, 1],
                                                         :]
    return np.linalg.norm(bones, axis=-1)


def test_preserves_bone_lengths_and_zero_person():
    np.random.seed(0)
    keypoint = np.random.randn(2, 8, 25, 3).astype(np.float32)
    keypoint[1] = 0
    out = RandomRotation(max_angle=1.0)(
        dict(keypoint=keypoint.copy()))['keypoint']
    assert out.shape == keypoint.shape and out.dtype == np.float32
    assert not np.allclose(out, keypoint)
    np.testing.assert_allclose(bone_lengths(out), bone_lengths(keypoint),
                               rtol=1e-5, atol=1e-5)
    assert (out[1] == 0).all()


def test_rotation_matrix_axes_and_order():
    a = 0.4
    np.testing.assert_allclose(rotation_matrix(np.array([a, 0, 0])) @
                               [0, 1, 0], [0, np.cos(a), np.sin(a)])
    np.testing.assert_allclose(rotation_matrix(np.array([0, 0, a])) @
                               [1, 0, 0], [np.cos(a), np.sin(a), 0])
    # x first, then z: e_y -> (0, cos a, sin a) -> rotated about z.
    got = rotation_matrix(np.array([a, 0, a])) @ [0, 1, 0]
    np.testing.assert_allclose(
        got, [-np.sin(a) * np.cos(a), np.cos(a)**2, np.sin(a)])


def test_angle_limits_per_axis():
    keypoint = np.zeros((1, 1, 25, 3), np.float32)
    keypoint[0, 0, :3] = np.eye(3)
    for seed in range(5):
        np.random.seed(seed)
        out = RandomRotation(max_angle=(0, 0, 0.3))(
            dict(keypoint=keypoint.copy()))['keypoint']
        rot = out[0, 0, :3].T
        np.testing.assert_allclose(rot[2], [0, 0, 1], atol=1e-7)
        angle = np.arctan2(rot[1, 0], rot[0, 0])
        assert 0 < abs(angle) <= 0.3
    out = RandomRotation(max_angle=0)(dict(keypoint=keypoint.copy()))
    np.testing.assert_allclose(out['keypoint'], keypoint, atol=1e-7)


def test_reproducible_under_seed():
    keypoint = np.random.randn(2, 5, 25, 3).astype(np.float32)
    outs = []
    for _ in range(2):
        np.random.seed(11)
        outs.append(RandomRotation()(dict(keypoint=keypoint))['keypoint'])
    np.testing.assert_array_equal(*outs)


@pytest.mark.parametrize('max_angle', [-0.1, (0.1, 0.2), (0.1, -1, 0.1),
                                       'abc'])
def test_bad_args(max_angle):
    with pytest.raises(ValueError, match='RandomRotation: max_angle'):
        RandomRotation(max_angle=max_angle)
