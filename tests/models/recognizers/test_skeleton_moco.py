import pytest
import torch
from conftest import tiny_moco_cfg
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample


def _model(**kwargs):
    model = MODELS.build(tiny_moco_cfg(**kwargs))
    model.init_weights()
    return model


def _batch(n=4, t=8):
    return torch.randn(n, 2, 2, t, 25, 3)


def test_key_encoder_starts_equal_and_gets_no_gradient():
    torch.manual_seed(0)
    model = _model()
    for pq, pk in zip(model.query_parameters(), model.key_parameters()):
        torch.testing.assert_close(pq, pk)
        assert not pk.requires_grad
    losses = model(_batch(), mode='loss')
    sum(v for k, v in losses.items() if k.startswith('loss')).backward()
    assert all(p.grad is None for p in model.key_parameters())
    assert all(p.grad is not None for p in model.backbone.parameters()
               if p.requires_grad)


def test_momentum_update_is_an_ema_of_parameters():
    torch.manual_seed(1)
    model = _model()
    with torch.no_grad():
        for p in model.query_parameters():
            p.add_(1.0)
    keys_before = [p.clone() for p in model.key_parameters()]
    model.momentum_update(0.9)
    for pk, k0, pq in zip(model.key_parameters(), keys_before,
                          model.query_parameters()):
        torch.testing.assert_close(pk, 0.9 * k0 + 0.1 * pq)


def test_queue_holds_the_newest_keys_and_wraps():
    torch.manual_seed(2)
    model = _model(halp=False, queue_len=12)
    model.eval()  # deterministic BN so keys can be recomputed
    batches = [_batch(n=8) for _ in range(2)]
    for x in batches:
        model(x, mode='loss')
    assert model._queue_ptr == 4 and int(model.queue_ptr) == 4
    with torch.no_grad():
        keys = torch.nn.functional.normalize(
            model.key_neck(model.pool(model.key_backbone(batches[1][:, 1]))),
            dim=1)
    torch.testing.assert_close(model.queue[[8, 9, 10, 11, 0, 1, 2, 3]], keys)
    torch.testing.assert_close(model.queue.norm(dim=1), torch.ones(12))


def test_loss_outputs_and_halp_switch_on():
    torch.manual_seed(3)
    model = _model(queue_len=8)
    first = model(_batch(n=4), mode='loss')
    assert set(first) == {'loss_moco', 'loss_halp', 'halp_generated',
                          'halp_kept', 'halp_pos_sim'}
    assert first['loss_halp'].item() == 0  # queue still random
    model(_batch(n=4), mode='loss')
    third = model(_batch(n=4), mode='loss')  # 8 real keys queued
    assert third['halp_generated'].item() == 4 * 4
    assert 0 < third['halp_kept'].item() <= 16
    assert torch.isfinite(third['loss_moco'])


def test_tensor_and_predict_modes_give_pooled_features():
    torch.manual_seed(4)
    model = _model().eval()
    x = torch.randn(3, 1, 2, 8, 25, 3)
    feat = model(x, mode='tensor')
    assert feat.shape == (3, 8)
    samples = model(x, data_samples=[ActionDataSample() for _ in range(3)],
                    mode='predict')
    torch.testing.assert_close(torch.stack([s.feature for s in samples]),
                               feat)


def test_single_view_training_input_is_rejected():
    model = _model()
    with pytest.raises(ValueError, match='TwoViews'):
        model(torch.randn(2, 1, 2, 8, 25, 3), mode='loss')
    with pytest.raises(ValueError, match='invalid mode'):
        model(_batch(), mode='nope')


def test_state_dict_restores_queue_pointer_and_halp_state():
    torch.manual_seed(5)
    model = _model(queue_len=8)
    for _ in range(3):
        model(_batch(n=4), mode='loss')
    fresh = _model(queue_len=8)
    fresh.load_state_dict(model.state_dict())
    assert fresh._queue_ptr == model._queue_ptr == 4
    torch.testing.assert_close(fresh.queue, model.queue)
    torch.testing.assert_close(fresh.halp_head.prototypes,
                               model.halp_head.prototypes)
    assert fresh.halp_head._samples_seen == 12


def test_bad_queue_and_halp_settings_fail_at_build():
    with pytest.raises(ValueError, match='queue length'):
        MODELS.build(tiny_moco_cfg(queue_len=4))  # num_keys 8 > queue 4
    with pytest.raises(ValueError, match='hardness'):
        MODELS.build(tiny_moco_cfg(halp_head=dict(hardness=2.0)))
