import numpy as np
import pytest
from mmaction.datasets.transforms import PreNormalize3D

from halp_mmaction.datasets.transforms import VectorizedPreNormalize3D


def _sample(rng, persons=2, frames=60, absent=(), gaps=()):
    kp = rng.normal(size=(persons, frames, 25, 3)).astype(np.float32)
    for m in absent:
        kp[m] = 0
    for m, t in gaps:
        kp[m, t] = 0
    return dict(keypoint=kp, total_frames=frames)


@pytest.mark.parametrize('case', [
    dict(persons=1),
    dict(persons=2, absent=(1, )),
    dict(persons=2, gaps=[(0, 3), (0, 10), (1, 5)]),
    # the second person is present in more frames: it becomes the main one
    dict(persons=2, gaps=[(0, 0), (0, 1), (0, 2)]),
])
@pytest.mark.parametrize('kwargs', [
    dict(), dict(align_center=True, align_spine=False),
    dict(align_shoulder=False)
])
def test_matches_mmaction_pre_normalize_3d(case, kwargs):
    rng = np.random.default_rng(0)
    sample = _sample(rng, **case)
    want = PreNormalize3D(**kwargs)(dict(sample, keypoint=sample['keypoint']
                                         .copy()))
    got = VectorizedPreNormalize3D(**kwargs)(dict(sample))
    assert got['total_frames'] == want['total_frames']
    assert got['keypoint'].dtype == np.float32
    np.testing.assert_allclose(got['keypoint'], want['keypoint'], rtol=1e-4,
                               atol=1e-4)
    np.testing.assert_allclose(got['body_center'], want['body_center'])


def test_empty_sequence_is_returned_as_is_and_bad_shapes_raise():
    empty = dict(keypoint=np.zeros((2, 5, 25, 3), np.float32), total_frames=5)
    assert VectorizedPreNormalize3D()(dict(empty))['keypoint'].shape == \
        (2, 5, 25, 3)
    with pytest.raises(ValueError, match='keypoint must be'):
        VectorizedPreNormalize3D()(dict(keypoint=np.ones((3, 5, 25, 3)),
                                        total_frames=5))
    with pytest.raises(ValueError, match='total_frames'):
        VectorizedPreNormalize3D()(dict(keypoint=np.ones((1, 5, 25, 3)),
                                        total_frames=4))

