import numpy as np
import pytest
from mmaction.datasets.transforms import FormatGCNInput, PackActionInputs
from mmaction.registry import TRANSFORMS
from mmcv.transforms import BaseTransform

from halp_mmaction.datasets.transforms import TwoViews

OFFICIAL_VIEW = [
    dict(type='TemporalCropResize', clip_len=16, min_crop_len=8),
    dict(type='RandomShear'),
    dict(type='JointCorruption'),
]


def sample(num_person=2, num_frames=40):
    keypoint = np.random.randn(num_person, num_frames, 25,
                               3).astype(np.float32)
    keypoint[-1] = 0 if num_person > 1 else keypoint[-1]
    return dict(keypoint=keypoint, total_frames=num_frames, label=3)


class AddOneInPlace(BaseTransform):
    """Mutates the array it is given: exposes any aliasing."""

    def __init__(self):
        self.calls = 0

    def transform(self, results):
        results['keypoint'] += 1
        results['view'] = self.calls
        self.calls += 1
        return results


class CropTo(BaseTransform):
    """Crops to a different length on each call."""

    def __init__(self):
        self.lengths = iter([10, 12])

    def transform(self, results):
        results['keypoint'] = results['keypoint'][:, :next(self.lengths)]
        return results


def test_concatenates_views_in_time():
    results = sample()
    out = TRANSFORMS.build(dict(type='TwoViews', transforms=OFFICIAL_VIEW))(
        results)
    assert out['keypoint'].shape == (2, 32, 25, 3)
    assert out['keypoint'].dtype == np.float32
    assert out['num_clips'] == 2 and out['clip_len'] == 16
    assert out['total_frames'] == 16 and out['label'] == 3
    assert (out['keypoint'][1] == 0).all()  # absent person, both views
    query, key = out['keypoint'][:, :16], out['keypoint'][:, 16:]
    assert not np.allclose(query, key)  # independent random draws


def test_views_are_independent_copies():
    results = sample()
    original = results['keypoint'].copy()
    out = TwoViews([AddOneInPlace()])(results)
    # Each view saw its own copy: +1 once, never +2; the input is untouched.
    np.testing.assert_array_equal(out['keypoint'][:, :40], original + 1)
    np.testing.assert_array_equal(out['keypoint'][:, 40:], original + 1)
    np.testing.assert_array_equal(results['keypoint'], original)
    assert 'view' not in results and out['view'] == 0  # keys from view 0


def test_format_and_pack_give_two_clips():
    pipeline = [
        TwoViews(OFFICIAL_VIEW),
        FormatGCNInput(num_person=2),
        PackActionInputs()
    ]
    for num_person in (1, 2):
        results = sample(num_person)
        for transform in pipeline[:2]:
            results = transform(results)
        assert results['keypoint'].shape == (2, 2, 16, 25, 3)
        packed = pipeline[2](results)
        assert tuple(packed['inputs'].shape) == (2, 2, 16, 25, 3)


def test_keypoint_score_concatenated():
    results = sample()
    results['keypoint_score'] = np.ones((2, 40, 25), np.float32)
    out = TwoViews([dict(type='TemporalCropResize', clip_len=8,
                         min_crop_len=8)])(results)
    assert out['keypoint_score'].shape == (2, 16, 25)


def test_reproducible_under_seed():
    results = sample()
    outs = []
    for _ in range(2):
        np.random.seed(0)
        outs.append(TwoViews(OFFICIAL_VIEW)(results)['keypoint'])
    np.testing.assert_array_equal(*outs)


def test_errors():
    with pytest.raises(ValueError, match='same keypoint shape.*'
                       r'\(2, 10, 25, 3\) and \(2, 12, 25, 3\)'):
        TwoViews([CropTo()])(sample())
    with pytest.raises(ValueError, match='TwoViews: transforms'):
        TwoViews([])
    with pytest.raises(ValueError, match='TwoViews: transforms'):
        TwoViews(dict(type='RandomShear'))
