"""Stop at iteration N, resume from the checkpoint, and reach iteration 2N
exactly where an uninterrupted run gets: same losses, weights, queue,
prototypes and counters (CPU, deterministic, num_workers=0)."""
from pathlib import Path

import pytest
import torch
from conftest import tiny_demo_cfg, train_recording_losses
from mmengine.config import Config

ITERS_PER_EPOCH = 3  # 36 samples / batch 12


def _cfg(work_dir: Path, random_state_hook: bool = True) -> Config:
    # HaLP on from iteration 3, refreshing every 2 iterations: the resumed
    # half starts with saved prototypes and refreshes them mid-epoch.
    # Validation at every epoch, the checkpoint's epoch included.
    cfg = tiny_demo_cfg(work_dir, 2, warmup_samples=24, val_interval=1)
    cfg.randomness = dict(seed=0, deterministic=True)
    # The pretraining configs carry RandomStateHook; the control drops it.
    hooks = [h for h in cfg.custom_hooks if h['type'] != 'RandomStateHook']
    assert len(hooks) < len(cfg.custom_hooks), 'configs must carry the hook'
    if random_state_hook:
        hooks.append(dict(type='RandomStateHook'))
    cfg.custom_hooks = hooks
    return cfg


@pytest.fixture(scope='module')
def uninterrupted(tmp_path_factory):
    work_dir = tmp_path_factory.mktemp('uninterrupted')
    runner, losses = train_recording_losses(_cfg(work_dir))
    return runner, losses, work_dir / 'epoch_1.pth'


def test_checkpoint_holds_the_random_states(uninterrupted):
    _, _, ckpt = uninterrupted
    saved = torch.load(ckpt, map_location='cpu', weights_only=False)
    states = saved['random_states']
    assert len(states['per_rank']) == 1
    assert set(states['per_rank'][0]) >= {'python', 'numpy', 'torch'}
    assert states['sampler_seed'] == 0
    assert int(saved['state_dict']['halp_head.samples_seen']) == 36


def test_resumed_run_repeats_the_uninterrupted_one(uninterrupted, tmp_path):
    runner_a, losses_a, ckpt = uninterrupted
    runner_b, losses_b = train_recording_losses(_cfg(tmp_path),
                                                resume_from=ckpt)
    n = ITERS_PER_EPOCH
    assert sorted(losses_b) == list(range(n + 1, 2 * n + 1))
    # HaLP is on in the resumed half, so its draws are compared too.
    assert all(losses_a[i]['halp_kept'] > 0 for i in losses_b)
    for i in losses_b:
        assert losses_b[i] == losses_a[i], f'iteration {i}'
    state_a, state_b = (r.model.state_dict() for r in (runner_a, runner_b))
    assert state_a.keys() == state_b.keys()
    for key in state_a:  # weights, key encoder, queue, prototypes, counters
        assert torch.equal(state_a[key], state_b[key]), key
    model_a, model_b = runner_a.model, runner_b.model
    assert model_b._queue_ptr == model_a._queue_ptr
    assert model_b.halp_head._steps_since_refresh == \
        model_a.halp_head._steps_since_refresh
    assert runner_b.iter == runner_a.iter == 2 * n


def test_without_the_hook_the_resumed_run_draws_differently(
        uninterrupted, tmp_path):
    # The control: the checkpoint's random states are what makes it exact.
    _, losses_a, ckpt = uninterrupted
    _, losses_b = train_recording_losses(
        _cfg(tmp_path, random_state_hook=False), resume_from=ckpt)
    assert any(losses_b[i] != losses_a[i] for i in losses_b)
