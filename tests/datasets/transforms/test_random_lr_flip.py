import numpy as np
import pytest

from halp_mmaction.datasets.transforms import RandomLRFlip

# NTU 0-based: left arm 4-7 <-> right arm 8-11, left leg 12-15 <-> right leg
# 16-19, left hand tip/thumb 21, 22 <-> right 23, 24; spine 0-3, 20 fixed.
EXPECTED_PERM = [0, 1, 2, 3, 8, 9, 10, 11, 4, 5, 6, 7, 16, 17, 18, 19, 12,
                 13, 14, 15, 20, 23, 24, 21, 22]


def sample():
    keypoint = np.random.randn(2, 4, 25, 3).astype(np.float32)
    keypoint[1] = 0
    return dict(keypoint=keypoint, keypoint_score=np.tile(
        np.arange(25, dtype=np.float32), (2, 4, 1)))


def test_flip_swaps_sides_and_mirrors_x():
    results = sample()
    keypoint = results['keypoint'].copy()
    out = RandomLRFlip(p=1.0)(results)
    flipped = out['keypoint']
    assert flipped.shape == keypoint.shape and flipped.dtype == np.float32
    np.testing.assert_array_equal(flipped[..., 0],
                                  -keypoint[:, :, EXPECTED_PERM, 0])
    np.testing.assert_array_equal(flipped[..., 1:],
                                  keypoint[:, :, EXPECTED_PERM, 1:])
    # Left shoulder lands where the right one was, mirrored.
    np.testing.assert_array_equal(flipped[0, :, 8, 0], -keypoint[0, :, 4, 0])
    np.testing.assert_array_equal(out['keypoint_score'][0, 0], EXPECTED_PERM)
    # Absent person stays +0.0, not -0.0.
    assert (flipped[1] == 0).all() and not np.signbit(flipped[1]).any()


def test_flip_twice_is_identity_and_p_zero_is_noop():
    results = sample()
    keypoint = results['keypoint'].copy()
    flip = RandomLRFlip(p=1.0)
    np.testing.assert_array_equal(flip(flip(results))['keypoint'], keypoint)
    out = RandomLRFlip(p=0.0)(dict(sample(), keypoint=keypoint.copy()))
    np.testing.assert_array_equal(out['keypoint'], keypoint)


def test_flips_about_half_the_time_reproducibly():
    keypoint = sample()['keypoint']

    def flips(seed):
        np.random.seed(seed)
        return [
            not np.array_equal(
                RandomLRFlip()(dict(keypoint=keypoint))['keypoint'], keypoint)
            for _ in range(200)
        ]

    assert flips(0) == flips(0)
    assert 60 < sum(flips(0)) < 140


def test_bad_args_and_inputs():
    with pytest.raises(ValueError, match='RandomLRFlip: p must be in'):
        RandomLRFlip(p=2)
    with pytest.raises(ValueError, match='RandomLRFlip: layout'):
        RandomLRFlip(layout='coco')
    with pytest.raises(ValueError, match=r'25 joints.*\(2, 4, 17, 3\)'):
        RandomLRFlip()(dict(keypoint=np.zeros((2, 4, 17, 3))))
