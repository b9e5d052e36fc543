import numpy as np
import pytest
import torch
import torch.nn.functional as F

from halp_mmaction.datasets.transforms import TemporalCropResize


def ramp(num_frames, total_frames=None, num_person=2):
    """Skeletons whose every coordinate equals the frame index."""
    keypoint = np.broadcast_to(
        np.arange(num_frames, dtype=np.float32)[None, :, None, None],
        (num_person, num_frames, 25, 3)).copy()
    return dict(keypoint=keypoint,
                total_frames=total_frames or num_frames)


def test_shape_dtype_and_total_frames():
    results = dict(keypoint=np.random.randn(2, 150, 25, 3), total_frames=150)
    out = TemporalCropResize(clip_len=32)(results)
    assert out['keypoint'].shape == (2, 32, 25, 3)
    assert out['keypoint'].dtype == np.float32
    assert out['total_frames'] == 32


def test_linear_ramp_exact_values():
    # Down 10 -> 5: src = (i + 0.5) * 2 - 0.5.
    out = TemporalCropResize(5, 1.0, min_crop_len=1, center=True)(ramp(10))
    np.testing.assert_allclose(out['keypoint'][0, :, 0, 0],
                               [0.5, 2.5, 4.5, 6.5, 8.5])
    # Up 4 -> 8: src = (i + 0.5) / 2 - 0.5, clamped to [0, 3].
    out = TemporalCropResize(8, 1.0, min_crop_len=1, center=True)(ramp(4))
    np.testing.assert_allclose(out['keypoint'][1, :, 7, 2],
                               [0, .25, .75, 1.25, 1.75, 2.25, 2.75, 3])


def test_matches_torch_interpolate():
    keypoint = np.random.randn(2, 37, 25, 3).astype(np.float32)
    out = TemporalCropResize(16, 1.0, min_crop_len=1, center=True)(
        dict(keypoint=keypoint.copy()))
    ref = F.interpolate(
        torch.from_numpy(keypoint).permute(0, 2, 3, 1).reshape(1, -1, 37),
        size=16, mode='linear', align_corners=False)
    ref = ref.reshape(2, 25, 3, 16).permute(0, 3, 1, 2).numpy()
    np.testing.assert_allclose(out['keypoint'], ref, atol=1e-5)


def test_random_crops_are_monotone_and_within_valid_frames():
    np.random.seed(0)
    transform = TemporalCropResize(64, (0.1, 1.0), min_crop_len=20)
    spans = []
    for _ in range(20):
        # 100 valid frames, then padding that must never be read.
        results = ramp(120, total_frames=100)
        results['keypoint'][:, 100:] = 1e6
        x = transform(results)['keypoint'][0, :, 0, 0]
        assert (np.diff(x) >= 0).all()
        assert 0 <= x.min() and x.max() <= 99
        spans.append(x.max() - x.min())
    # Crops are >= 20 frames: resampled span >= 20 - 20 / 64 - 1 frames.
    assert min(spans) >= 20 - 1 - 20 / 64 - 1e-4
    assert max(spans) > min(spans)  # lengths really vary


def test_center_mode_is_deterministic_and_centred():
    transform = TemporalCropResize(95, 0.95, min_crop_len=1, center=True)
    state = np.random.get_state()
    a = transform(ramp(100))['keypoint']
    b = transform(ramp(100))['keypoint']
    np.testing.assert_array_equal(a, b)
    # floor(100 * 0.95) = 95 frames from (100 - 95) // 2 = 2, unresampled.
    np.testing.assert_allclose(a[0, :, 0, 0], np.arange(2, 97))
    assert np.random.get_state()[1].tolist() == state[1].tolist()


def test_short_sequence_keeps_all_frames():
    # min_crop_len > L: the crop is the whole sequence, stretched.
    out = TemporalCropResize(64, (0.1, 0.2), min_crop_len=64)(ramp(30))
    x = out['keypoint'][0, :, 0, 0]
    assert x[0] == 0 and x[-1] == 29


def test_absent_person_stays_zero_and_score_resized():
    results = dict(
        keypoint=np.random.randn(2, 80, 25, 3).astype(np.float32),
        keypoint_score=np.ones((2, 80, 25), np.float32))
    results['keypoint'][1] = 0
    out = TemporalCropResize(64)(results)
    assert (out['keypoint'][1] == 0).all()
    assert out['keypoint_score'].shape == (2, 64, 25)
    np.testing.assert_allclose(out['keypoint_score'], 1)


def test_reproducible_under_seed():
    keypoint = np.random.randn(2, 200, 25, 3).astype(np.float32)
    outs = []
    for _ in range(2):
        np.random.seed(3)
        outs.append(TemporalCropResize(64)(
            dict(keypoint=keypoint.copy()))['keypoint'])
    np.testing.assert_array_equal(*outs)


def test_bad_inputs():
    with pytest.raises(ValueError, match='empty sequence'):
        TemporalCropResize()(dict(keypoint=np.zeros((2, 0, 25, 3))))
    with pytest.raises(ValueError, match='empty sequence'):
        TemporalCropResize()(
            dict(keypoint=np.zeros((2, 5, 25, 3)), total_frames=0))
    with pytest.raises(ValueError, match='total_frames=9 exceeds'):
        TemporalCropResize()(
            dict(keypoint=np.zeros((2, 5, 25, 3)), total_frames=9))
    with pytest.raises(ValueError, match=r'keypoint.*4-D.*\(5, 25, 3\)'):
        TemporalCropResize()(dict(keypoint=np.zeros((5, 25, 3))))


@pytest.mark.parametrize('kwargs, arg', [
    (dict(clip_len=0), 'clip_len'),
    (dict(min_crop_len=0), 'min_crop_len'),
    (dict(crop_ratio=(0.6, 0.5)), 'crop_ratio'),
    (dict(crop_ratio=(0.0, 0.5)), 'crop_ratio'),
    (dict(crop_ratio=(0.5, 1.5)), 'crop_ratio'),
    (dict(crop_ratio=(0.5, 0.7, 0.9)), 'crop_ratio'),
    (dict(center=True), 'crop_ratio'),
])
def test_bad_args(kwargs, arg):
    with pytest.raises(ValueError, match=f'TemporalCropResize: {arg}'):
        TemporalCropResize(**kwargs)
