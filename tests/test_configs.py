"""Every config in configs/ loads, and its model, optimizer and pipelines
build; NTU configs without data fail with a message that says what to do."""
from pathlib import Path

import pytest
import torch
from conftest import REPO_ROOT
from mmaction.registry import DATASETS, MODELS
from mmengine.config import Config
from mmengine.dataset import Compose
from mmengine.optim import build_optim_wrapper
from mmengine.registry import init_default_scope

CONFIGS = sorted(p for p in (REPO_ROOT / 'configs').rglob('*.py')
                 if '_base_' not in p.parts)


def _pipelines(cfg):
    dataset = cfg.train_dataloader.dataset
    yield dataset.pipeline
    yield cfg.val_dataloader.dataset.query.pipeline


@pytest.mark.parametrize('path', CONFIGS, ids=lambda p: p.name)
def test_config_builds(path: Path):
    cfg = Config.fromfile(str(path))
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    model = MODELS.build(cfg.model)
    assert model.queue.shape[0] % cfg.train_dataloader.batch_size == 0
    build_optim_wrapper(model, cfg.optim_wrapper)
    for pipeline in _pipelines(cfg):
        Compose([p for p in pipeline])  # every transform is registered
    assert any(h.type == 'MomentumUpdateHook' for h in cfg.custom_hooks)


def test_ntu60_without_data_says_how_to_prepare_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cfg = Config.fromfile(str(REPO_ROOT / 'configs' / 'halp_stgcn_ntu60.py'))
    init_default_scope('mmaction')
    with pytest.raises(FileNotFoundError, match='convert.py'):
        DATASETS.build(cfg.train_dataloader.dataset)


def test_demo_config_trains_a_step():
    cfg = Config.fromfile(str(REPO_ROOT / 'configs' / 'halp_stgcn_demo.py'))
    init_default_scope('mmaction')
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    model = MODELS.build(cfg.model)
    model.init_weights()
    batch = model.data_preprocessor(
        dict(inputs=[dataset[i]['inputs'] for i in range(4)],
             data_samples=[dataset[i]['data_samples'] for i in range(4)]),
        training=True)
    assert batch['inputs'].shape == (4, 2, 2, 32, 25, 3)
    losses = model(**batch, mode='loss')
    assert torch.isfinite(losses['loss_moco'])
