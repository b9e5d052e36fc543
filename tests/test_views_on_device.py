"""The views_on_device switch, and pretraining runs with the views made by
SkeletonViewPreprocessor: they resume exactly and they learn."""
import copy

import pytest
import torch
from conftest import REPO_ROOT, load_config, tiny_demo_cfg, \
    train_recording_losses
from mmengine.config import Config, ConfigDict
from mmengine.runner import Runner

from halp_mmaction.engine import apply_views_on_device

DEMO = REPO_ROOT / 'configs' / 'halp_stgcn_demo.py'


def _on_device(cfg):
    cfg = copy.deepcopy(cfg)
    cfg.views_on_device = True
    return apply_views_on_device(cfg)


def test_switch_moves_two_views_into_the_preprocessor():
    cfg = load_config(DEMO)
    assert apply_views_on_device(copy.deepcopy(cfg)).to_dict() == \
        cfg.to_dict()  # off: as is
    views = next(t for t in cfg.train_dataloader.dataset.pipeline
                 if t.type == 'TwoViews').transforms
    moved = _on_device(cfg)
    pipeline = moved.train_dataloader.dataset.pipeline
    assert [t.type for t in pipeline] == ['FormatGCNInput', 'PackActionInputs']
    assert moved.model.data_preprocessor == ConfigDict(
        type='SkeletonViewPreprocessor', view_transforms=views,
        compile_views=False)
    assert moved.randomness == dict(seed=0, diff_rank_seed=True)
    # Each worker hands over a batch as one block.
    assert moved.train_dataloader.collate_fn == dict(
        type='concat_sequences_collate')
    custom = copy.deepcopy(cfg)
    custom.train_dataloader.collate_fn = dict(type='my_collate')
    assert _on_device(custom).train_dataloader.collate_fn == dict(
        type='my_collate')
    # Validation keeps its own pipeline.
    assert moved.val_dataloader == cfg.val_dataloader


def test_switch_keeps_a_stream_and_rejects_what_it_cannot_move():
    cfg = load_config(DEMO)
    cfg.model.data_preprocessor = dict(type='SkeletonStreamPreprocessor',
                                       stream='bone')
    assert _on_device(cfg).model.data_preprocessor.stream == 'bone'
    cfg.model.data_preprocessor = dict(type='MyPreprocessor')
    with pytest.raises(ValueError, match="takes over only.*'MyPreprocessor'"):
        _on_device(cfg)
    cfg = load_config(DEMO)
    cfg.views_on_device = 'yes'
    with pytest.raises(ValueError, match='must be True or False'):
        apply_views_on_device(cfg)
    cfg.views_on_device, cfg.compile_views = False, True
    with pytest.raises(ValueError, match='needs views_on_device=True'):
        apply_views_on_device(cfg)
    cfg.views_on_device, cfg.compile_views = True, 1
    with pytest.raises(ValueError, match='compile_views must be True or'):
        apply_views_on_device(cfg)
    cfg.compile_views = True
    assert apply_views_on_device(copy.deepcopy(
        cfg)).model.data_preprocessor.compile_views is True
    cfg.train_dataloader.dataset.pipeline = [dict(type='PackActionInputs')]
    with pytest.raises(ValueError, match='found 0 in train_dataloader'):
        apply_views_on_device(cfg)


def test_the_paper_recipe_configs_make_their_views_on_the_device():
    for name in ('halp/halp_stgcn_1xb64-450e_ntu60-xsub.py',
                 'cmd/cmd-halp_bigru_1xb64-1000e_pku-mmd2-xsub.py'):
        cfg = load_config(REPO_ROOT / 'configs' / name)
        assert cfg.views_on_device is True, name
        cfg = apply_views_on_device(cfg)
        assert cfg.model.data_preprocessor.type == 'SkeletonViewPreprocessor'


def _tiny_cfg(work_dir):
    cfg = tiny_demo_cfg(work_dir, 2, warmup_samples=24, val_interval=1)
    cfg.randomness = dict(seed=0, deterministic=True)
    cfg.views_on_device = True
    return apply_views_on_device(cfg)


def test_a_run_with_views_on_the_device_resumes_exactly(tmp_path):
    runner_a, losses_a = train_recording_losses(_tiny_cfg(tmp_path / 'a'))
    runner_b, losses_b = train_recording_losses(
        _tiny_cfg(tmp_path / 'b'), resume_from=tmp_path / 'a' / 'epoch_1.pth')
    assert sorted(losses_b) == [4, 5, 6]
    assert all(losses_a[i]['halp_kept'] > 0 for i in losses_b)
    for i in losses_b:
        assert losses_b[i] == losses_a[i], f'iteration {i}'
    state_a, state_b = (r.model.state_dict() for r in (runner_a, runner_b))
    for key in state_a:
        assert torch.equal(state_a[key], state_b[key]), key


@pytest.fixture
def demo_cfg(tmp_path):
    """The demo job with its views on the device, 4 epochs, kNN at the
    end."""
    cfg = Config.fromfile(str(DEMO))
    cfg.work_dir = str(tmp_path)
    cfg.views_on_device = True
    cfg = apply_views_on_device(cfg)
    cfg.train_cfg.update(max_epochs=4, val_interval=4)
    cfg.train_dataloader.update(num_workers=0, persistent_workers=False)
    cfg.val_dataloader.update(num_workers=0, persistent_workers=False)
    cfg.default_hooks.checkpoint.update(interval=4, save_best=None)
    return cfg


def test_the_demo_learns_with_views_on_the_device(demo_cfg):
    """4 epochs of the demo job lift the 1-NN top-1 above the same encoder
    untrained. Measured (seed 0): untrained 60.8 %, after 4 epochs 67.9 %
    with the views on the device and 67.1 % with the per-sample views
    (12 classes, chance 8.3 %; a random ST-GCN already clusters the demo's
    motions well). The bar is 4 points, about two thirds of either gain."""
    runner = Runner.from_cfg(demo_cfg)
    untrained = runner.val()['knn/top1']
    runner.train()
    trained = runner.val()['knn/top1']
    assert trained >= untrained + 4, (untrained, trained)
