"""Shared fixtures. Importing halp_mmaction applies the compat fixes and
registers every component before any test builds one."""
from pathlib import Path

import pytest
import torch
from mmengine.registry import init_default_scope

import halp_mmaction  # noqa: F401

# What every config sets: names resolve in mmaction's registries first.
init_default_scope('mmaction')

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO_ROOT.parent / 'shared' / 'data'


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
