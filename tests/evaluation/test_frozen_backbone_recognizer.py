"""The linear probe freezes the encoder: a real Runner epoch leaves every
backbone weight and batch-norm statistic as it was and trains the head."""
import copy

import pytest
import torch
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample
from mmengine.config import Config
from mmengine.runner import Runner

from halp_mmaction.models import FrozenBackboneRecognizer, SkeletonLinearHead
from halp_mmaction.models.recognizers.skeleton_moco import SkeletonMoCo

TINY_STGCN = dict(
    type='STGCN', graph_cfg=dict(layout='nturgb+d', mode='stgcn_spatial'),
    base_channels=8, num_stages=2, inflate_stages=[], down_stages=[])
DEMO = dict(type='DemoSkeletonDataset', num_subjects=4, repeats=1)
PIPELINE = [
    dict(type='TemporalCropResize', clip_len=16, crop_ratio=(0.5, 1.0),
         min_crop_len=16),
    dict(type='FormatGCNInput', num_person=2),
    dict(type='PackActionInputs'),
]


def probe_cfg(work_dir, model_type='FrozenBackboneRecognizer') -> Config:
    """One epoch (3 steps of 12 demo samples) of a tiny classifier."""
    return Config(dict(
        default_scope='mmaction',
        work_dir=str(work_dir),
        model=dict(type=model_type, backbone=TINY_STGCN,
                   cls_head=dict(type='GCNHead', num_classes=12,
                                 in_channels=8)),
        train_dataloader=dict(
            batch_size=12, num_workers=0,
            sampler=dict(type='DefaultSampler', shuffle=True),
            dataset=dict(split='xsub_train', pipeline=PIPELINE, **DEMO)),
        train_cfg=dict(type='EpochBasedTrainLoop', max_epochs=1),
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.5, momentum=0.9,
                                          weight_decay=1e-3)),
        default_hooks=dict(logger=dict(type='LoggerHook', interval=1)),
        randomness=dict(seed=0),
        log_level='WARNING'))


def _state(module) -> dict:
    return {k: v.detach().clone() for k, v in module.state_dict().items()}


def _train_one_epoch(tmp_path, model_type):
    runner = Runner.from_cfg(probe_cfg(tmp_path, model_type))
    runner.model.init_weights()
    model = runner.model
    # Non-trivial statistics, so that an update would show.
    for name, buf in model.backbone.named_buffers():
        if name.endswith('running_mean'):
            buf.normal_()
    backbone, head = _state(model.backbone), _state(model.cls_head)
    runner.train()
    assert runner.iter == 3
    return model, backbone, head


def test_probe_epoch_leaves_the_backbone_bit_identical(tmp_path):
    model, backbone_before, head_before = _train_one_epoch(
        tmp_path, 'FrozenBackboneRecognizer')
    after = model.backbone.state_dict()
    assert any(k.endswith('running_var') for k in after)
    for key, value in backbone_before.items():
        assert torch.equal(after[key], value), key  # weights, BN stats
    assert not model.backbone.training  # train() keeps it in eval mode
    assert all(not p.requires_grad for p in model.backbone.parameters())
    assert all(p.grad is None for p in model.backbone.parameters())
    head_after = model.cls_head.state_dict()
    assert not torch.equal(head_after['fc.weight'], head_before['fc.weight'])


def test_the_same_epoch_unfrozen_changes_weights_and_statistics(tmp_path):
    """Control: the test above would notice a backbone that trains."""
    model, backbone_before, _ = _train_one_epoch(tmp_path, 'RecognizerGCN')
    after = model.backbone.state_dict()
    changed = {k for k, v in backbone_before.items()
               if not torch.equal(after[k], v)}
    assert any(k.endswith('running_mean') for k in changed)
    assert any(k.endswith('.weight') for k in changed)


def test_train_mode_reaches_the_head_but_not_the_backbone():
    model = MODELS.build(dict(
        type='FrozenBackboneRecognizer', backbone=TINY_STGCN,
        cls_head=dict(type='GCNHead', num_classes=4, in_channels=8,
                      dropout=0.5)))
    assert isinstance(model, FrozenBackboneRecognizer)
    model.train()
    assert model.training and model.cls_head.training
    assert not any(m.training for m in model.backbone.modules())
    model.eval()
    assert not model.cls_head.training


def test_skeleton_linear_head_pools_like_skeleton_moco():
    head = SkeletonLinearHead(num_classes=5, in_channels=8)
    maps = torch.randn(3, 2, 8, 4, 25)  # (N, M, C, T, V)
    torch.testing.assert_close(head(maps), head.fc(SkeletonMoCo.pool(maps)))
    feats = torch.randn(3, 8)  # (N, C), e.g. the BiGRU's
    torch.testing.assert_close(head(feats), head.fc(feats))
    with pytest.raises(ValueError, match='8-d'):
        head(torch.randn(3, 6))


def test_bigru_probe_trains_only_the_linear_head():
    model = MODELS.build(dict(
        type='FrozenBackboneRecognizer',
        backbone=dict(type='BiGRU', hidden_channels=8, num_layers=1),
        cls_head=dict(type='SkeletonLinearHead', num_classes=4,
                      in_channels=16)))
    model.init_weights()
    before = copy.deepcopy(model.backbone.state_dict())
    model.train()
    inputs = torch.randn(6, 1, 2, 10, 25, 3)
    samples = [ActionDataSample().set_gt_label(i % 4) for i in range(6)]
    losses = model(inputs, samples, mode='loss')
    losses['loss_cls'].backward()
    assert model.cls_head.fc.weight.grad is not None
    for key, value in model.backbone.state_dict().items():
        assert torch.equal(value, before[key]), key  # BatchNorm1d stats too
