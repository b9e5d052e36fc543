import numpy as np
import pytest

from halp_mmaction.datasets.transforms import RandomScale


def sample():
    keypoint = np.random.uniform(1, 2, (2, 5, 25, 3)).astype(np.float32)
    keypoint[1] = 0
    return keypoint


@pytest.mark.parametrize('isotropic', [False, True])
def test_factors_per_axis_or_shared(isotropic):
    np.random.seed(0)
    keypoint = sample()
    out = RandomScale((0.5, 2.0), isotropic=isotropic)(
        dict(keypoint=keypoint.copy()))['keypoint']
    assert out.dtype == np.float32 and (out[1] == 0).all()
    ratio = out[0] / keypoint[0]  # (T, V, 3)
    factors = ratio[0, 0]
    np.testing.assert_allclose(ratio, np.broadcast_to(factors, ratio.shape),
                               rtol=1e-6)
    assert ((0.5 <= factors) & (factors <= 2.0)).all()
    if isotropic:
        np.testing.assert_allclose(factors, factors[0], rtol=1e-6)
    else:
        assert len(np.unique(factors)) == 3


def test_fixed_scale_and_seed():
    keypoint = sample()
    out = RandomScale(2.0)(dict(keypoint=keypoint.copy()))['keypoint']
    np.testing.assert_allclose(out, 2 * keypoint)
    outs = []
    for _ in range(2):
        np.random.seed(9)
        outs.append(RandomScale()(dict(keypoint=keypoint))['keypoint'])
    np.testing.assert_array_equal(*outs)


@pytest.mark.parametrize('scale', [0, (1.2, 0.9), (-1, 1), (1, 2, 3)])
def test_bad_args(scale):
    with pytest.raises(ValueError, match='RandomScale: scale'):
        RandomScale(scale=scale)
