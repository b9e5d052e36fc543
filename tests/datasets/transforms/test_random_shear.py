import numpy as np
import pytest

from halp_mmaction.datasets.transforms import RandomShear


def basis_sample():
    """Joints 0, 1, 2 are e_x, e_y, e_z in every frame; person 1 absent."""
    keypoint = np.zeros((2, 4, 25, 3), np.float32)
    keypoint[0, :, :3] = np.eye(3)
    return dict(keypoint=keypoint)


def test_one_shear_matrix_with_unit_diagonal():
    np.random.seed(0)
    out = RandomShear(beta=0.5)(basis_sample())['keypoint']
    assert out.shape == (2, 4, 25, 3) and out.dtype == np.float32
    # Row j of out[0, t, :3] is S e_j, so S = out[0, t, :3].T.
    shear = out[0, 0, :3].T
    np.testing.assert_allclose(np.diag(shear), 1)
    off = shear[~np.eye(3, dtype=bool)]
    assert (np.abs(off) <= 0.5).all() and (off != 0).all()
    np.testing.assert_array_equal(out[0, :, :3], np.broadcast_to(
        out[0, :1, :3], (4, 3, 3)))  # the same S in every frame
    assert (out[0, :, 3:] == 0).all() and (out[1] == 0).all()


def test_applies_x_times_s_transposed():
    np.random.seed(1)
    keypoint = np.random.randn(1, 5, 25, 3).astype(np.float32)
    basis = basis_sample()
    np.random.seed(2)
    shear = RandomShear()(basis)['keypoint'][0, 0, :3].T
    np.random.seed(2)
    out = RandomShear()(dict(keypoint=keypoint.copy()))['keypoint']
    np.testing.assert_allclose(out, keypoint @ shear.T, rtol=1e-5, atol=1e-5)


def test_beta_zero_is_identity():
    keypoint = np.random.randn(2, 5, 25, 3).astype(np.float32)
    out = RandomShear(beta=0)(dict(keypoint=keypoint.copy()))['keypoint']
    np.testing.assert_array_equal(out, keypoint)


def test_reproducible_under_seed():
    keypoint = np.random.randn(2, 5, 25, 3).astype(np.float32)
    outs = []
    for _ in range(2):
        np.random.seed(7)
        outs.append(RandomShear()(dict(keypoint=keypoint))['keypoint'])
    np.testing.assert_array_equal(*outs)


def test_bad_args_and_inputs():
    with pytest.raises(ValueError, match='RandomShear: beta must be >= 0, '
                       'got -1'):
        RandomShear(beta=-1)
    with pytest.raises(ValueError, match=r'C == 3.*\(2, 5, 25, 2\)'):
        RandomShear()(dict(keypoint=np.zeros((2, 5, 25, 2))))
    with pytest.raises(KeyError, match='keypoint'):
        RandomShear()(dict(imgs=[]))
