"""TrainGuardHook: a non-finite loss or an epoch of no iteration stops the
run with a clear error, before any checkpoint (or "best" one) is saved."""
import re
from types import SimpleNamespace

import numpy as np
import pytest
import torch
from conftest import tiny_demo_cfg
from mmaction.registry import TRANSFORMS
from mmcv.transforms import BaseTransform
from mmengine.runner import Runner

from halp_mmaction.engine import TrainGuardHook


@TRANSFORMS.register_module(force=True)
class _PoisonOneSample(BaseTransform):
    """Test helper: NaN in one sample's keypoints, after the load checks (as
    a broken transform would make them)."""

    def __init__(self, frame_dir):
        self.frame_dir = frame_dir

    def transform(self, results):
        if results['frame_dir'] == self.frame_dir:
            results['keypoint'] = results['keypoint'].copy()
            results['keypoint'][0, :, 3] = np.nan
        return results


def _checkpoints(work_dir):
    return sorted(p.name for p in work_dir.glob('*.pth'))


def test_a_nan_sample_stops_training_before_any_checkpoint(tmp_path,
                                                           one_thread):
    cfg = tiny_demo_cfg(tmp_path, max_epochs=2, warmup_samples=0,
                        val_interval=1)
    cfg.default_hooks.checkpoint.save_best = 'knn/top1'
    dataset = cfg.train_dataloader.dataset
    first = Runner.build_dataloader(dict(
        batch_size=1, dataset=dict(dataset, pipeline=[]),
        sampler=dict(type='DefaultSampler', shuffle=False))).dataset
    victim = first.get_data_info(5)['frame_dir']
    dataset.pipeline = [dict(type='_PoisonOneSample', frame_dir=victim)
                        ] + dataset.pipeline
    runner = Runner.from_cfg(cfg)
    with pytest.raises(FloatingPointError) as info:
        runner.train()
    message = str(info.value)
    assert 'TrainGuardHook: non-finite loss' in message
    # The batch holding the sample, in the first epoch (3 steps).
    assert re.search(r'from iteration [123] \(epoch 1\) on', message)
    assert 'before saving or validating NaN weights' in message
    assert _checkpoints(tmp_path) == []


def test_a_split_smaller_than_one_batch_is_an_error(tmp_path, one_thread):
    cfg = tiny_demo_cfg(tmp_path, max_epochs=1, warmup_samples=0)
    cfg.train_dataloader.update(batch_size=64, drop_last=True)
    with pytest.raises(ValueError) as info:
        Runner.from_cfg(cfg).train()
    assert ('the training split has 36 samples, fewer than one batch of 64 '
            '(drop_last=True)') in str(info.value)
    assert _checkpoints(tmp_path) == []


def _runner(iteration, per_epoch=5, max_iters=100):
    return SimpleNamespace(iter=iteration, max_iters=max_iters,
                           train_dataloader=[None] * per_epoch)


def test_the_flag_is_read_every_interval_and_at_epoch_ends():
    hook = TrainGuardHook(interval=3)
    hook.before_train(_runner(0))
    good, bad = torch.tensor(1.0), torch.tensor(float('nan'))
    hook.after_train_iter(_runner(0), 0, outputs=dict(loss=good))
    # Iteration 2 (index 1) goes bad: not read until the interval's end.
    hook.after_train_iter(_runner(1), 1, outputs=dict(loss=bad,
                                                      loss_moco=bad,
                                                      halp_kept=bad))
    with pytest.raises(FloatingPointError) as info:
        hook.after_train_iter(_runner(2), 2, outputs=dict(loss=good))
    assert 'non-finite loss and loss_moco from iteration 2 (epoch 1) on' \
        in str(info.value)
    assert 'stopped at iteration 3' in str(info.value)
    # Reset by before_train; the end of an epoch reads it at once.
    hook.before_train(_runner(0))
    hook.after_train_iter(_runner(0), 0,
                          outputs=dict(loss=torch.tensor(float('inf'))))
    with pytest.raises(FloatingPointError, match='iteration 1'):
        hook.after_train_epoch(_runner(0))
    hook.before_train(_runner(0))
    hook.after_train_iter(_runner(0), 0, outputs=dict(loss=good))
    hook.after_train_epoch(_runner(0))  # all finite: nothing happens


@pytest.mark.parametrize('interval', [0, 1.5, None])
def test_interval_must_be_a_positive_int(interval):
    with pytest.raises(ValueError, match='interval must be an int >= 1'):
        TrainGuardHook(interval=interval)
