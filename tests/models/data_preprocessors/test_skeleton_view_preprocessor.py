"""SkeletonViewPreprocessor: the views of a training batch made on the
device, as TwoViews makes them in the workers."""
import numpy as np
import pytest
import torch
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample
from mmengine.dataset import pseudo_collate

from halp_mmaction.datasets import concat_sequences_collate
from halp_mmaction.models.utils import skeleton_stream

VIEWS = [
    dict(type='TemporalCropResize', clip_len=16, crop_ratio=(0.5, 1.0),
         min_crop_len=16),
    dict(type='RandomChoice',
         transforms=[[dict(type='JointCorruption', num_joints=8)],
                     [dict(type='RandomShear', beta=0.5)]]),
]


def _batch(lengths=(20, 48, 33, 48), persons=2):
    """Packed samples as PackActionInputs gives them: (1, M, T, V, C) with
    the second person absent in sample 1."""
    rng = np.random.default_rng(0)
    inputs = []
    for i, length in enumerate(lengths):
        kp = rng.normal(0, 1, (1, persons, length, 25, 3)).astype(np.float32)
        if i == 1:
            kp[:, 1] = 0
        inputs.append(torch.from_numpy(kp))
    return dict(inputs=inputs,
                data_samples=[ActionDataSample() for _ in lengths])


def _preprocessor(**kwargs):
    return MODELS.build(dict(type='SkeletonViewPreprocessor',
                             view_transforms=VIEWS, **kwargs))


def test_training_batches_become_two_views_per_sample():
    torch.manual_seed(0)
    out = _preprocessor()(_batch(), training=True)['inputs']
    assert out.shape == (4, 2, 2, 16, 25, 3) and out.dtype == torch.float32
    # The views of a sample differ, and so do two samples of equal length.
    assert not torch.allclose(out[:, 0], out[:, 1])
    assert not torch.allclose(out[1, 0, 0], out[3, 0, 0])
    # The absent person stays zero in both views.
    assert not out[1, :, 1].any()
    # The same seed gives the same views (the draws are torch's, which
    # RandomStateHook saves for resume).
    torch.manual_seed(0)
    assert torch.equal(out, _preprocessor()(_batch(), training=True)['inputs'])


def test_each_view_reads_only_its_samples_frames():
    """A constant sequence padded beside a longer one gives a view of that
    constant (a crop past the sample's frames would blend in zeros)."""
    pre = MODELS.build(dict(type='SkeletonViewPreprocessor',
                            view_transforms=VIEWS[:1]))
    short = torch.full((1, 1, 5, 25, 3), 2.0)
    long = torch.ones(1, 1, 90, 25, 3)
    out = pre(dict(inputs=[short, long], data_samples=None),
              training=True)['inputs']
    assert torch.equal(out[0], torch.full_like(out[0], 2.0))
    assert torch.equal(out[1], torch.ones_like(out[1]))


def test_a_batch_laid_end_to_end_in_the_worker_gives_the_same_views():
    """concat_sequences_collate (the views_on_device switch's collate) does
    in the worker the concatenation the preprocessor does for a list."""
    batch = _batch()
    samples = [dict(inputs=x, data_samples=d)
               for x, d in zip(batch['inputs'], batch['data_samples'])]
    pre = _preprocessor(stream='bone')
    torch.manual_seed(3)
    from_list = pre(pseudo_collate(samples), training=True)['inputs']
    torch.manual_seed(3)
    packed = pre(concat_sequences_collate(samples), training=True)['inputs']
    assert packed.shape == (4, 2, 2, 16, 25, 3)
    assert torch.equal(packed, from_list)
    with pytest.raises(ValueError, match='outside training'):
        pre(concat_sequences_collate(samples), training=False)


def test_compiled_views_equal_the_eager_views():
    """compile_views makes the crop and the shear or corruption in one
    compiled kernel from the same draws; the transforms after them run as
    before. Two batch sizes: each compiles once."""
    views = VIEWS + [dict(type='RandomLRFlip', p=0.5)]
    eager, compiled = (MODELS.build(dict(
        type='SkeletonViewPreprocessor', view_transforms=views,
        compile_views=c)) for c in (False, True))
    for lengths in ((20, 48, 33, 48), (17, 64)):
        torch.manual_seed(5)
        expected = eager(_batch(lengths), training=True)['inputs']
        torch.manual_seed(5)
        out = compiled(_batch(lengths), training=True)['inputs']
        torch.testing.assert_close(out, expected, rtol=1e-5, atol=1e-5)
    assert not out[1, :, 1].any()  # the absent person stays zero


def test_compile_views_needs_a_linear_map_after_the_crop():
    with pytest.raises(ValueError, match="fuses the TemporalCropResize.*"
                       "'TemporalCropResize', 'RandomLRFlip'"):
        MODELS.build(dict(type='SkeletonViewPreprocessor',
                          view_transforms=[VIEWS[0], dict(
                              type='RandomLRFlip')], compile_views=True))
    with pytest.raises(ValueError, match='compile_views must be True or'):
        _preprocessor(compile_views='yes')


def test_stream_is_derived_from_the_views():
    torch.manual_seed(1)
    joint = _preprocessor()(_batch(), training=True)['inputs']
    torch.manual_seed(1)
    bone = _preprocessor(stream='bone')(_batch(), training=True)['inputs']
    assert torch.equal(bone, skeleton_stream(joint, 'bone'))


def test_outside_training_the_batch_passes_as_with_the_stream_preprocessor():
    batch = _batch(lengths=(16, 16))
    out = _preprocessor()(batch, training=False)['inputs']
    assert torch.equal(out, torch.stack(batch['inputs']))


def test_bad_batches_fail_clearly():
    pre = _preprocessor()
    two_views = dict(inputs=[torch.zeros(2, 2, 16, 25, 3)],
                     data_samples=[ActionDataSample()])
    with pytest.raises(ValueError, match='drop TwoViews'):
        pre(two_views, training=True)
    empty = dict(inputs=[torch.zeros(1, 2, 8, 25, 3),
                         torch.zeros(1, 2, 0, 25, 3)],
                 data_samples=None)
    with pytest.raises(ValueError, match='training sample 1 .*T >= 1'):
        pre(empty, training=True)
    with pytest.raises(ValueError, match='num_views must be an int >= 1'):
        _preprocessor(num_views=0)
