"""Motion and bone streams against hand computations, MMAction2's
per-sample transforms and the official formulas, and the data preprocessor
that feeds a model one stream."""
import numpy as np
import pytest
import torch
from mmaction.datasets.transforms import JointToBone, ToMotion
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample

from halp_mmaction.models.utils.skeleton_streams import (bone_parents,
                                                         skeleton_stream)

# The official code's bone pairs (1-based, moco/builder_mm_halp.py).
OFFICIAL_BONES = [(1, 2), (2, 21), (3, 21), (4, 3), (5, 21), (6, 5), (7, 6),
                  (8, 7), (9, 21), (10, 9), (11, 10), (12, 11), (13, 1),
                  (14, 13), (15, 14), (16, 15), (17, 1), (18, 17), (19, 18),
                  (20, 19), (21, 21), (22, 23), (23, 8), (24, 25), (25, 12)]


def _sequence(seed=0, persons=2, frames=5):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(persons, frames, 25, 3)).astype(np.float32)
    x[1] = 0  # an absent second person
    return x


def test_motion_is_the_next_frame_minus_this_one_the_last_zero():
    x = torch.arange(3 * 25 * 3, dtype=torch.float32).reshape(
        1, 3, 25, 3) ** 2
    motion = skeleton_stream(x, 'motion')
    assert torch.equal(motion[0, 0], x[0, 1] - x[0, 0])
    assert torch.equal(motion[0, 1], x[0, 2] - x[0, 1])
    assert torch.equal(motion[0, 2], torch.zeros(25, 3))


def test_bone_is_each_joint_minus_its_parent_as_the_official_pairs():
    x = _sequence()
    bone = skeleton_stream(torch.from_numpy(x), 'bone').numpy()
    # By hand, the official loop: bone[v1] = x[v1] - x[v2].
    expected = np.zeros_like(x)
    for v1, v2 in OFFICIAL_BONES:
        expected[..., v1 - 1, :] = x[..., v1 - 1, :] - x[..., v2 - 1, :]
    np.testing.assert_array_equal(bone, expected)
    assert (bone[..., 20, :] == 0).all()  # the spine is its own parent
    # Wrist (7, 1-based) minus elbow (6): a concrete check of the table.
    np.testing.assert_array_equal(bone[0, :, 6], x[0, :, 6] - x[0, :, 5])
    assert bone_parents()[6] == 5


@pytest.mark.parametrize('stream', ['motion', 'bone'])
def test_streams_equal_mmaction_transforms_and_keep_absent_persons_zero(
        stream):
    x = _sequence(seed=1)
    if stream == 'motion':
        ref = ToMotion(target='keypoint').transform(dict(keypoint=x))
    else:
        ref = JointToBone().transform(dict(keypoint=x.copy()))
    ours = skeleton_stream(torch.from_numpy(x), stream).numpy()
    np.testing.assert_allclose(ours, ref['keypoint'], atol=1e-6)
    assert (ours[1] == 0).all()


def test_batched_stream_is_the_per_sample_stream():
    x = torch.from_numpy(np.stack([_sequence(s) for s in range(3)]))
    for stream in ('motion', 'bone'):
        batched = skeleton_stream(x[:, None].expand(-1, 2, -1, -1, -1, -1),
                                  stream)
        for i in range(3):
            assert torch.equal(batched[i, 1], skeleton_stream(x[i], stream))


def test_bad_stream_and_joint_count_are_refused():
    with pytest.raises(ValueError, match='stream must be one of'):
        skeleton_stream(torch.zeros(1, 2, 25, 3), 'velocity')
    with pytest.raises(ValueError, match='25 joints .* has 20'):
        skeleton_stream(torch.zeros(1, 2, 20, 3), 'bone')


def test_preprocessor_feeds_the_model_the_stream():
    x = torch.from_numpy(np.stack([_sequence(s) for s in range(2)]))
    views = x[:, None].repeat(1, 2, 1, 1, 1, 1)  # (N, 2 clips, M, T, V, C)
    data = dict(inputs=list(views),
                data_samples=[ActionDataSample() for _ in range(2)])
    joint = MODELS.build(dict(type='SkeletonStreamPreprocessor'))
    bone = MODELS.build(dict(type='SkeletonStreamPreprocessor',
                             stream='bone'))
    assert torch.equal(joint(dict(data))['inputs'], views)
    assert torch.equal(bone(dict(data))['inputs'],
                       skeleton_stream(views, 'bone'))
    with pytest.raises(ValueError, match='stream must be one of'):
        MODELS.build(dict(type='SkeletonStreamPreprocessor', stream='Bone'))
