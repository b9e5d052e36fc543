"""ContrastiveCollapseHook: a contrastive loss that climbs back to
ln(K + 1) after having learned is warned about, during and at the end of
training; a run that never learned or keeps learning is not."""
import math
from types import SimpleNamespace

import pytest
import torch
from conftest import tiny_demo_cfg, tiny_moco_cfg
from mmaction.registry import MODELS
from mmengine.runner import Runner

from halp_mmaction.engine import ContrastiveCollapseHook
from halp_mmaction.engine.hooks import contrastive_collapse_hook

CHANCE = math.log(257)  # a 256-key queue


@pytest.fixture
def warnings(monkeypatch):
    said = []
    monkeypatch.setattr(contrastive_collapse_hook, 'print_log',
                        lambda msg, **kwargs: said.append(msg))
    return said


def _runner(chance_levels=None, resume=False):
    model = SimpleNamespace()
    if chance_levels is not None:
        model.contrastive_chance_levels = lambda: chance_levels
    return SimpleNamespace(model=model, epoch=0, _resume=resume)


def _train(hook, runner, epoch_means, name='loss_moco', start=0):
    """Epochs of two iterations whose mean is each of ``epoch_means``."""
    hook.before_train(runner)
    for epoch, mean in enumerate(epoch_means, start):
        runner.epoch = epoch
        hook.before_train_epoch(runner)
        for step, value in enumerate((mean - 0.1, mean + 0.1)):
            hook.after_train_iter(runner, step, outputs={
                name: torch.tensor(value), 'loss': torch.tensor(9.0)})
        hook.after_train_epoch(runner)


def test_a_loss_back_at_chance_after_learning_is_warned(warnings):
    hook, runner = ContrastiveCollapseHook(), _runner(
        dict(loss_moco=CHANCE))
    # MSR Action3D bone, seed 0: 3.9 at epoch 10, then up to 5.4.
    _train(hook, runner, [4.6, 3.9, 4.8, 5.4, 5.45])
    assert len(warnings) == 1  # once, at the epoch it happens
    assert ('loss_moco averaged 5.400 over epoch 4, within 5% of the 5.549 '
            'of a uniform guess over the key and the queue, after 3.900 at '
            'epoch 2: the embedding has collapsed') in warnings[0]
    hook.after_train(runner)  # still there at the end: said again
    assert len(warnings) == 2
    assert 'averaged 5.450 over the last epoch' in warnings[1]


def test_a_recovered_run_is_not_warned_again_at_the_end(warnings):
    hook, runner = ContrastiveCollapseHook(), _runner(
        dict(loss_moco=CHANCE))
    _train(hook, runner, [3.9, 5.4, 4.0])
    hook.after_train(runner)
    assert len(warnings) == 1


@pytest.mark.parametrize('means', [
    [5.6, 5.5, 5.45, 5.5],  # never learned: near chance from the start
    [4.0, 3.1, 3.6, 4.0, 3.8],  # MSR bone seeds 1 and 2: no collapse
    [5.0, 5.2, 5.3],  # never 10 % below chance
])
def test_runs_that_did_not_collapse_are_not_warned(warnings, means):
    hook, runner = ContrastiveCollapseHook(), _runner(
        dict(loss_moco=CHANCE))
    _train(hook, runner, means)
    hook.after_train(runner)
    assert warnings == []


def test_models_without_a_chance_level_are_left_alone(warnings):
    hook, runner = ContrastiveCollapseHook(), _runner()
    _train(hook, runner, [3.0, 5.5, 5.5])  # a linear probe's loss_cls...
    hook.after_train(runner)
    assert warnings == []


def test_the_lowest_epoch_is_kept_across_a_resume(warnings):
    first = ContrastiveCollapseHook()
    _train(first, _runner(dict(loss_moco=CHANCE)), [3.9, 4.5])
    checkpoint = {}
    first.before_save_checkpoint(None, checkpoint)
    assert checkpoint['contrastive_collapse'] == dict(
        lowest=dict(loss_moco=(pytest.approx(3.9), 1)), collapsed={})
    resumed, runner = ContrastiveCollapseHook(), _runner(
        dict(loss_moco=CHANCE), resume=True)
    resumed.after_load_checkpoint(runner, checkpoint)
    _train(resumed, runner, [5.4], start=2)
    assert len(warnings) == 1 and 'after 3.900 at epoch 1' in warnings[0]
    # Loading weights (load_from) is no resume: nothing carries over.
    fresh, runner = ContrastiveCollapseHook(), _runner(
        dict(loss_moco=CHANCE), resume=False)
    fresh.after_load_checkpoint(runner, checkpoint)
    _train(fresh, runner, [5.4], start=2)
    assert len(warnings) == 1
    # A collapse is saved, and a resumed run still says it at the end.
    resumed.before_save_checkpoint(None, checkpoint)
    assert checkpoint['contrastive_collapse']['collapsed'] == dict(
        loss_moco=(pytest.approx(5.4), 3))
    last, runner = ContrastiveCollapseHook(), _runner(
        dict(loss_moco=CHANCE), resume=True)
    last.after_load_checkpoint(runner, checkpoint)
    _train(last, runner, [5.5], start=3)
    last.after_train(runner)
    assert len(warnings) == 2 and 'over the last epoch' in warnings[1]


@pytest.mark.parametrize('tolerance', [0, 0.5, -0.1, '5%', None])
def test_tolerance_must_be_in_the_open_interval(tolerance):
    with pytest.raises(ValueError, match=r'tolerance must be in \(0, 0.5\)'):
        ContrastiveCollapseHook(tolerance=tolerance)


def test_chance_levels_of_the_recognizers():
    moco = MODELS.build(tiny_moco_cfg(queue_len=16, head=dict(
        type='ContrastiveHead', loss_weight=2.0)))
    assert moco.contrastive_chance_levels() == dict(
        loss_moco=pytest.approx(2 * math.log(17)))
    cmd = MODELS.build(tiny_moco_cfg(type='SkeletonCMD', queue_len=16,
                                     streams=('joint', 'bone'),
                                     cmd_head=None))
    assert cmd.contrastive_chance_levels() == dict(
        loss_moco_joint=pytest.approx(math.log(17)),
        loss_moco_bone=pytest.approx(math.log(17)))


def test_every_config_runs_it_and_checkpoints_its_state(tmp_path, one_thread,
                                                        warnings):
    cfg = tiny_demo_cfg(tmp_path, max_epochs=1, warmup_samples=0)
    assert cfg.default_hooks.collapse_warning.type == \
        'ContrastiveCollapseHook'
    Runner.from_cfg(cfg).train()
    saved = torch.load(tmp_path / 'epoch_1.pth', weights_only=False)
    assert saved['contrastive_collapse']['collapsed'] == {}
    lowest, epoch = saved['contrastive_collapse']['lowest']['loss_moco']
    # The demo's 36-key queue: a real epoch mean, below ln 37.
    assert epoch == 1 and 0 < lowest < math.log(37)
    assert warnings == []
