"""The demo pretraining job through a real mmengine Runner, shrunk to
seconds: kNN evaluation, HaLP switching on, checkpoints and --resume."""
from pathlib import Path

import pytest
import torch
from conftest import tiny_demo_cfg
from mmengine.config import Config
from mmengine.runner import Runner

from halp_mmaction.models import SkeletonMoCo

def _tiny_demo_cfg(work_dir: Path, max_epochs: int) -> Config:
    # HaLP on after the first epoch (36 keys: the queue is real).
    return tiny_demo_cfg(work_dir, max_epochs, warmup_samples=36)


def _model(runner) -> SkeletonMoCo:
    return runner.model


@pytest.fixture(scope='module')
def trained(tmp_path_factory):
    work_dir = tmp_path_factory.mktemp('demo')
    runner = Runner.from_cfg(_tiny_demo_cfg(work_dir, max_epochs=2))
    runner.train()
    return runner, work_dir


def test_pretraining_reports_knn_with_halp_active(trained):
    runner, work_dir = trained
    model = _model(runner)
    assert model.halp_head.active
    assert model.halp_head._samples_seen == 2 * 3 * 12
    assert model.halp_head.prototypes.abs().sum() > 0
    scalars = runner.message_hub.log_scalars
    assert scalars['train/halp_generated'].current() == 12 * 8
    assert scalars['train/halp_kept'].current() > 0
    top1 = scalars['val/knn/top1'].current()
    assert 0 <= top1 <= 100
    log = next(work_dir.rglob('*.log')).read_text()
    assert 'knn/top1' in log and 'halp_kept' in log


def test_checkpoint_holds_queue_prototypes_and_counters(trained):
    _, work_dir = trained
    state = torch.load(work_dir / 'epoch_1.pth', map_location='cpu',
                       weights_only=False)['state_dict']
    assert state['queue'].shape == (36, 16)
    assert int(state['queue_ptr']) == 0  # 3 steps x 12 keys wrapped once
    assert int(state['halp_head.samples_seen']) == 36
    assert 'halp_head.prototypes' in state
    assert any(k.startswith('key_backbone.') for k in state)


def test_resume_continues_with_the_saved_queue_prototypes_and_counter(
        trained, tmp_path):
    runner_a, work_dir_a = trained
    ckpt = work_dir_a / 'epoch_1.pth'
    saved = torch.load(ckpt, map_location='cpu',
                       weights_only=False)['state_dict']
    cfg = _tiny_demo_cfg(tmp_path, max_epochs=2)
    cfg.resume, cfg.load_from = True, str(ckpt)
    runner = Runner.from_cfg(cfg)
    runner.load_or_resume()
    model = _model(runner)
    assert runner.epoch == 1 and runner.iter == 3
    torch.testing.assert_close(model.queue, saved['queue'])
    assert model._queue_ptr == int(saved['queue_ptr'])
    assert model.halp_head._samples_seen == 36
    runner.train()
    # The resumed run ends where the uninterrupted one ended.
    assert model.halp_head._samples_seen == \
        _model(runner_a).halp_head._samples_seen
    assert model._queue_ptr == _model(runner_a)._queue_ptr
    assert model.halp_head.prototypes.abs().sum() > 0
