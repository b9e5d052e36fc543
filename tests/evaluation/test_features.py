"""Feature extraction for the feature-based probes."""
import numpy as np
import pytest
import torch
from conftest import tiny_moco_cfg
from mmaction.registry import MODELS
from mmengine.runner import Runner

from halp_mmaction.evaluation import (eval_dataset_cfg, extract_features,
                                      pooled_backbone_features)

DEMO = dict(type='DemoSkeletonDataset', num_subjects=4, repeats=1)
TEST_PIPELINE = [
    dict(type='TemporalCropResize', clip_len=16, crop_ratio=1.0,
         min_crop_len=1, center=True),
    dict(type='FormatGCNInput', num_person=2),
    dict(type='PackActionInputs'),
]


def knn_loader(batch_size=5):
    dataset = dict(
        type='KNNEvalDataset',
        bank=dict(split='xsub_train', pipeline=TEST_PIPELINE, **DEMO),
        query=dict(split='xsub_val', pipeline=TEST_PIPELINE, **DEMO))
    return Runner.build_dataloader(dict(
        batch_size=batch_size, num_workers=0,
        sampler=dict(type='DefaultSampler', shuffle=False), dataset=dataset))


def test_features_match_the_models_own_and_carry_labels_and_bank_marks():
    torch.manual_seed(0)
    model = MODELS.build(tiny_moco_cfg())
    model.init_weights()
    model.train()
    feats, labels, bank = extract_features(model, knn_loader())
    assert not model.training
    assert feats.shape == (48, 8) and feats.dtype == np.float32
    assert bank.tolist() == [True] * 36 + [False] * 12
    assert set(labels.tolist()) == set(range(12))
    # The same feature SkeletonMoCo computes in 'tensor' mode.
    batch = model.data_preprocessor(next(iter(knn_loader(48))), False)
    with torch.no_grad():
        own = model(batch['inputs'], mode='tensor')
        pooled = pooled_backbone_features(model, batch['inputs'])
    np.testing.assert_allclose(feats, own.numpy(), rtol=1e-5, atol=1e-6)
    torch.testing.assert_close(own, pooled)


def test_bigru_classifier_features_are_its_last_step_output():
    model = MODELS.build(dict(
        type='RecognizerGCN',
        backbone=dict(type='BiGRU', hidden_channels=4, num_layers=1),
        cls_head=dict(type='SkeletonLinearHead', num_classes=12,
                      in_channels=8)))
    model.init_weights()
    inputs = torch.randn(3, 2, 2, 10, 25, 3)  # two clips each
    with torch.no_grad():
        feats = pooled_backbone_features(model, inputs)
        per_clip = model.backbone(inputs.flatten(0, 1)).view(3, 2, 8)
    torch.testing.assert_close(feats, per_clip.mean(dim=1))


def test_eval_dataset_cfg_picks_the_part_and_split():
    loader = dict(dataset=dict(type='KNNEvalDataset', bank=dict(split='a'),
                               query=dict(split='b')))
    assert eval_dataset_cfg(loader) == dict(split='b', test_mode=True)
    assert eval_dataset_cfg(loader, 'bank')['split'] == 'a'
    assert eval_dataset_cfg(loader, split='c')['split'] == 'c'
    plain = dict(dataset=dict(type='X', split='b'))
    assert eval_dataset_cfg(plain, 'bank') == dict(type='X', split='b',
                                                   test_mode=True)
    with pytest.raises(ValueError, match='part'):
        eval_dataset_cfg(loader, 'train')
