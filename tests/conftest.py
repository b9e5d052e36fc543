"""Shared fixtures. Importing halp_mmaction applies the compat fixes and
registers every component before any test builds one."""
import copy
import functools
from pathlib import Path

import pytest
import torch
from mmengine.config import Config
from mmengine.hooks import Hook
from mmengine.registry import init_default_scope

import halp_mmaction  # noqa: F401

# What every config sets: names resolve in mmaction's registries first.
init_default_scope('mmaction')

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO_ROOT.parent / 'shared' / 'data'


@functools.lru_cache(maxsize=None)
def _parse_config(path: Path) -> Config:
    return Config.fromfile(str(path))


def load_config(path: Path) -> Config:
    """A config file, parsed once per test session (a parse takes ~0.3 s);
    each call gets its own copy."""
    return copy.deepcopy(_parse_config(Path(path)))


def tiny_moco_cfg(halp: bool = True, queue_len: int = 16, **kwargs) -> dict:
    """A SkeletonMoCo small enough for unit tests (ST-GCN, 8 channels)."""
    cfg = dict(
        type='SkeletonMoCo',
        backbone=dict(
            type='STGCN',
            graph_cfg=dict(layout='nturgb+d', mode='stgcn_spatial'),
            base_channels=8, num_stages=2, inflate_stages=[], down_stages=[]),
        neck=dict(type='ProjectionMLP', in_channels=8, hid_channels=16,
                  out_channels=8),
        queue_len=queue_len,
        feat_dim=8)
    if halp:
        cfg['halp_head'] = dict(num_prototypes=3, num_keys=8, interval=2,
                                num_positives=4)
    cfg.update(kwargs)
    return cfg


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f'real data not found at {SHARED_DATA}')
    return SHARED_DATA


@pytest.fixture
def one_thread():
    """Tiny tensors: more threads only add synchronisation (5x slower on a
    busy 2-core machine)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


DEMO_SUBSET = dict(num_subjects=4, repeats=1)  # 36 train / 12 val samples


def tiny_demo_cfg(work_dir, max_epochs: int, warmup_samples: int,
                  val_interval: int = None) -> Config:
    """configs/halp_stgcn_demo.py shrunk to seconds for Runner-level tests:
    an 8-channel ST-GCN, 36 training samples in 3 steps of 12, a 36-key
    queue, HaLP with 4 prototypes refreshed every 2 steps, no workers, a
    checkpoint every epoch and kNN every ``val_interval`` epochs (default:
    at the end)."""
    cfg = Config.fromfile(str(REPO_ROOT / 'configs' / 'halp_stgcn_demo.py'))
    cfg.work_dir = str(work_dir)
    # HaLP from the start, after warmup_samples keys (tests add a schedule).
    cfg.custom_hooks = [h for h in cfg.custom_hooks
                        if h.type != 'HaLPScheduleHook']
    cfg.model.backbone.update(base_channels=8, num_stages=2,
                              inflate_stages=[], down_stages=[])
    cfg.model.neck.update(in_channels=8, hid_channels=16, out_channels=16)
    cfg.model.update(queue_len=36, feat_dim=16)
    cfg.model.halp_head.update(num_prototypes=4, num_keys=24, interval=2,
                               num_positives=8, warmup_samples=warmup_samples)
    cfg.train_dataloader.update(batch_size=12, num_workers=0,
                                persistent_workers=False)
    cfg.train_dataloader.dataset.update(DEMO_SUBSET)
    cfg.val_dataloader.update(batch_size=24, num_workers=0,
                              persistent_workers=False)
    for part in ('bank', 'query'):
        cfg.val_dataloader.dataset[part].update(DEMO_SUBSET)
    cfg.test_dataloader = copy.deepcopy(cfg.val_dataloader)
    cfg.train_cfg.update(max_epochs=max_epochs,
                         val_interval=val_interval or max_epochs)
    cfg.default_hooks.checkpoint.update(interval=1, max_keep_ckpts=-1,
                                        save_best=None)
    cfg.default_hooks.logger.update(interval=1)
    return cfg


class LossRecorder(Hook):
    """Keeps every iteration's logged values, by global iteration."""

    def __init__(self):
        self.losses = {}

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        self.losses[runner.iter + 1] = {
            k: float(v.detach()) for k, v in outputs.items()}


def train_recording_losses(cfg: Config, resume_from=None):
    """Train a config (resumed from a checkpoint if given); the runner and
    every iteration's logged values."""
    from mmengine.runner import Runner
    if resume_from is not None:
        cfg.resume, cfg.load_from = True, str(resume_from)
    runner = Runner.from_cfg(cfg)
    recorder = LossRecorder()
    runner.register_hook(recorder)
    runner.train()
    return runner, recorder.losses


def check_resume_repeats_the_run(make_cfg, tmp_path, kept: str):
    """Train ``make_cfg(dir)`` (2 epochs of 3 iterations) uninterrupted, and
    again resumed from its epoch-1 checkpoint; check the resumed iterations
    repeat the uninterrupted ones loss for loss (with HaLP on, ``kept`` > 0)
    and end in the same state, tensor for tensor. Returns both runners."""
    runner_a, losses_a = train_recording_losses(make_cfg(tmp_path / 'a'))
    runner_b, losses_b = train_recording_losses(
        make_cfg(tmp_path / 'b'), resume_from=tmp_path / 'a' / 'epoch_1.pth')
    assert sorted(losses_b) == [4, 5, 6]
    assert all(losses_a[i][kept] > 0 for i in losses_b)
    for i in losses_b:
        assert losses_b[i] == losses_a[i], f'iteration {i}'
    state_a, state_b = (r.model.state_dict() for r in (runner_a, runner_b))
    assert state_a.keys() == state_b.keys()
    for key in state_a:  # weights, queues, prototypes and counters
        assert torch.equal(state_a[key], state_b[key]), key
    return runner_a, runner_b
