import copy
from types import SimpleNamespace

import pytest
import torch
from conftest import tiny_demo_cfg, tiny_moco_cfg
from mmaction.registry import HOOKS, MODELS
from mmengine.runner import Runner

from halp_mmaction.engine import HaLPScheduleHook


def _runner(model, epoch=0, max_epochs=10, iters_per_epoch=4):
    return SimpleNamespace(model=model, epoch=epoch, max_epochs=max_epochs,
                           train_dataloader=[None] * iters_per_epoch)


def _fake_model():
    """Any module holding a HaLP head."""
    model = torch.nn.Module()
    model.halp_head = MODELS.build(dict(
        type='HaLPHead', feat_dim=8, num_prototypes=3, num_keys=8,
        interval=2, num_positives=4))
    return model


def _enabled_by_epoch(hook, runner, epochs):
    seen = []
    for epoch in range(epochs):
        runner.epoch = epoch
        hook.before_train_iter(runner, 0)
        seen.append(runner.model.halp_head.enabled)
    return seen


def test_halp_switches_on_at_start_epoch():
    hook = HaLPScheduleHook(start_epoch=2)
    runner = _runner(_fake_model())
    hook.before_train(runner)
    assert _enabled_by_epoch(hook, runner, 5) == [False, False] + [True] * 3


def test_start_as_a_fraction_of_the_run():
    hook = HaLPScheduleHook(start_fraction=0.5)
    for max_epochs, first in ((10, 5), (7, 3), (1, 0)):
        runner = _runner(_fake_model(), max_epochs=max_epochs)
        hook.before_train(runner)
        assert _enabled_by_epoch(hook, runner, max_epochs) == \
            [False] * first + [True] * (max_epochs - first)
    assert HaLPScheduleHook(start_fraction=1.0).first_halp_epoch(10) == 10


def test_ramp_raises_the_weight_iteration_by_iteration():
    hook = HaLPScheduleHook(start_epoch=1, ramp_epochs=2)
    runner = _runner(_fake_model(), iters_per_epoch=4)
    scales = []
    for epoch in range(4):
        runner.epoch = epoch
        for i in range(4):
            hook.before_train_iter(runner, i)
            head = runner.model.halp_head
            scales.append(head.weight_scale if head.enabled else None)
    assert scales == [None] * 4 + [k / 8 for k in range(1, 9)] + [1.0] * 4
    # No ramp: the full weight at once.
    hook = HaLPScheduleHook(start_epoch=0)
    runner.model.halp_head.weight_scale = 0.3
    hook.before_train_iter(runner, 0)
    assert runner.model.halp_head.weight_scale == 1.0


def test_the_switch_depends_on_the_epoch_only():
    # A resumed run: a fresh hook and a fresh model (enabled by default).
    for epoch, enabled in [(1, False), (2, True), (7, True)]:
        runner = _runner(_fake_model(), epoch=epoch)
        HaLPScheduleHook(start_epoch=2).before_train_iter(runner, 0)
        assert runner.model.halp_head.enabled is enabled
    runner = _runner(_fake_model())
    HaLPScheduleHook(start_epoch=0).before_train_iter(runner, 0)
    assert runner.model.halp_head.enabled


def test_switches_the_head_of_a_wrapped_skeleton_moco():
    model = MODELS.build(tiny_moco_cfg())
    wrapped = torch.nn.DataParallel(model)  # a registered model wrapper
    runner = _runner(wrapped, epoch=0)
    hook = HaLPScheduleHook(start_epoch=1)
    hook.before_train(runner)
    hook.before_train_iter(runner, 0)
    assert model.halp_head.enabled is False and not model.halp_head.active
    runner.epoch = 1
    hook.before_train_iter(runner, 0)
    assert model.halp_head.enabled is True


def test_models_without_a_halp_head_are_rejected():
    hook = HaLPScheduleHook(start_epoch=1)
    moco = MODELS.build(tiny_moco_cfg(halp=False))
    for model in (moco, object()):
        with pytest.raises(TypeError, match='needs a model with a HaLP head'):
            hook.before_train(_runner(model))
        with pytest.raises(TypeError, match='needs a model with a HaLP head'):
            hook.before_train_iter(_runner(model), 0)


@pytest.mark.parametrize('start_epoch', [-1, 1.5, '200', True])
def test_start_epoch_must_be_a_non_negative_int(start_epoch):
    with pytest.raises(ValueError, match='start_epoch must be an int >= 0'):
        HaLPScheduleHook(start_epoch=start_epoch)


@pytest.mark.parametrize('kwargs, message', [
    (dict(), 'exactly one of start_epoch and start_fraction'),
    (dict(start_epoch=1, start_fraction=0.5), 'exactly one'),
    (dict(start_fraction=1.5), r'start_fraction must be in \[0, 1\]'),
    (dict(start_fraction='half'), r'start_fraction must be in \[0, 1\]'),
    (dict(start_epoch=1, ramp_epochs=-1), 'ramp_epochs must be >= 0'),
])
def test_bad_schedules_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        HaLPScheduleHook(**kwargs)


def test_is_registered():
    hook = HOOKS.build(dict(type='HaLPScheduleHook', start_epoch=3))
    assert isinstance(hook, HaLPScheduleHook) and hook.start_epoch == 3


# -- in a real Runner ---------------------------------------------------------
def _tiny_cfg(work_dir, max_epochs, start_epoch):
    cfg = tiny_demo_cfg(work_dir, max_epochs, warmup_samples=0,
                        val_interval=max_epochs + 1)
    cfg.val_dataloader = cfg.val_cfg = cfg.val_evaluator = None
    cfg.test_dataloader = cfg.test_cfg = cfg.test_evaluator = None
    cfg.custom_hooks = copy.deepcopy(cfg.custom_hooks) + [
        dict(type='HaLPScheduleHook', start_epoch=start_epoch)
    ]
    return cfg


def _halp_generated(runner):
    values, _ = runner.message_hub.log_scalars['train/halp_generated'].data
    return [float(v) for v in values]


def test_moco_then_halp_across_a_resume(tmp_path, one_thread):
    """Epoch 0 in one run, then resumed for epochs 1 (MoCo) and 2 (HaLP)."""
    runner = Runner.from_cfg(_tiny_cfg(tmp_path, max_epochs=1, start_epoch=2))
    runner.train()
    assert _halp_generated(runner) == [0.0] * 3  # warmup_samples=0: the hook

    # The resumed run builds a fresh model, whose head is enabled by default:
    # the hook switches it off for epoch 1 and on for epoch 2.
    cfg = _tiny_cfg(tmp_path / 'resumed', max_epochs=3, start_epoch=2)
    cfg.resume, cfg.load_from = True, str(tmp_path / 'epoch_1.pth')
    resumed = Runner.from_cfg(cfg)
    resumed.train()
    assert resumed.epoch == 3
    per_step = 12 * 8  # positives generated per step while HaLP is on
    assert _halp_generated(resumed)[-6:] == [0.0] * 3 + [per_step] * 3
