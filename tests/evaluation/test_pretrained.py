"""A SkeletonMoCo checkpoint's query encoder loads into a classifier's
backbone: every key, nothing else, the query (not the key) encoder."""
import pytest
import torch
from conftest import tiny_moco_cfg
from mmaction.registry import MODELS
from mmengine.config import Config

from halp_mmaction.evaluation import (backbone_state_dict,
                                      check_pretrained_backbone, load_encoder,
                                      set_pretrained_backbone)


def classifier_cfg(checkpoint=None, model_type='FrozenBackboneRecognizer'):
    backbone = dict(tiny_moco_cfg()['backbone'])
    if checkpoint is not None:
        backbone['init_cfg'] = dict(type='Pretrained', checkpoint=checkpoint,
                                    prefix='backbone.')
    return dict(type=model_type, backbone=backbone,
                cls_head=dict(type='GCNHead', num_classes=4, in_channels=8))


@pytest.fixture
def pretrain_ckpt(tmp_path):
    """A pretraining checkpoint whose key encoder differs from the query
    encoder (as after training), with non-default BN statistics."""
    torch.manual_seed(0)
    moco = MODELS.build(tiny_moco_cfg())
    moco.init_weights()
    with torch.no_grad():
        for param in moco.key_backbone.parameters():
            param.add_(1.0)
        for name, buf in moco.backbone.named_buffers():
            if 'running' in name:
                buf.uniform_(0.5, 1.5)
    path = tmp_path / 'epoch_1.pth'
    torch.save(dict(meta=dict(epoch=1), state_dict=moco.state_dict()), path)
    return str(path), moco


def test_pretrained_init_loads_every_backbone_key(pretrain_ckpt):
    path, moco = pretrain_ckpt
    classifier = MODELS.build(classifier_cfg(path))
    expected = moco.backbone.state_dict()
    loaded = backbone_state_dict(path)
    assert set(loaded) == set(classifier.backbone.state_dict()) == \
        set(expected)  # none missing, none unexpected
    assert check_pretrained_backbone(classifier.backbone, path) == \
        len(expected)
    classifier.init_weights()  # what the Runner does before training
    for key, value in classifier.backbone.state_dict().items():
        assert torch.equal(value, expected[key]), key
    # The query encoder, not the (shifted) key encoder.
    key_weights = moco.key_backbone.state_dict()
    assert any(not torch.equal(classifier.backbone.state_dict()[k],
                               key_weights[k]) for k in key_weights)


def test_set_pretrained_backbone_points_the_config_at_it(pretrain_ckpt):
    path, moco = pretrain_ckpt
    cfg = Config(dict(model=classifier_cfg()))
    set_pretrained_backbone(cfg, path)
    assert cfg.model.backbone.init_cfg == dict(
        type='Pretrained', checkpoint=path, prefix='backbone.')
    set_pretrained_backbone(cfg, None)  # random-encoder baseline
    assert 'init_cfg' not in cfg.model.backbone


def test_a_mismatching_checkpoint_is_refused(pretrain_ckpt, tmp_path):
    path, _ = pretrain_ckpt
    wider = classifier_cfg()
    wider['backbone']['base_channels'] = 16
    with pytest.raises(KeyError, match='another shape'):
        check_pretrained_backbone(MODELS.build(wider).backbone, path)
    deeper = classifier_cfg()
    deeper['backbone']['num_stages'] = 3
    with pytest.raises(KeyError, match='[1-9][0-9]* missing'):
        check_pretrained_backbone(MODELS.build(deeper).backbone, path)
    bare = tmp_path / 'no_backbone.pth'
    torch.save(dict(state_dict={'neck.fc.weight': torch.zeros(1)}), bare)
    with pytest.raises(KeyError, match='prefixes are .*neck'):
        backbone_state_dict(str(bare))


def test_load_encoder_takes_classifier_checkpoints_too(pretrain_ckpt,
                                                       tmp_path):
    path, moco = pretrain_ckpt
    classifier = MODELS.build(classifier_cfg(path))
    classifier.init_weights()
    cls_path = tmp_path / 'classifier.pth'
    torch.save(dict(state_dict=classifier.state_dict()), cls_path)
    encoder = load_encoder(Config(dict(m=tiny_moco_cfg())).m, str(cls_path))
    for key, value in encoder.backbone.state_dict().items():
        assert torch.equal(value, moco.backbone.state_dict()[key]), key
    assert not encoder.training
