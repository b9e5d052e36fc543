import copy
import math

import pytest
import torch
from mmaction.registry import MODELS

from halp_mmaction.models.backbones import BiGRU, frame_by_frame_features


def small(**kwargs):
    cfg = dict(type='BiGRU', hidden_channels=8, num_layers=2)
    cfg.update(kwargs)
    return MODELS.build(cfg)


def test_output_shape():
    torch.manual_seed(0)
    assert small()(torch.randn(4, 2, 10, 25, 3)).shape == (4, 16)
    model = small(in_channels=2, num_joints=17, num_person=1, num_layers=3)
    assert model(torch.randn(3, 1, 6, 17, 2)).shape == (3, 16)
    assert model.out_channels == 16


@pytest.mark.parametrize('num_layers', [1, 3])
def test_matches_official_frame_by_frame_encoder(num_layers):
    torch.manual_seed(0)
    model = small(num_layers=num_layers).eval()
    x = torch.randn(3, 2, 7, 25, 3)  # (N, M, T, V, C)
    seen = {}
    model.input_norm.register_forward_hook(
        lambda m, args, out: seen.update(x=args[0]))
    feat = model(x)
    torch.testing.assert_close(feat, frame_by_frame_features(model, x))
    # The per-frame vector is ordered (V, C, M), as the official code.
    torch.testing.assert_close(seen['x'].transpose(1, 2), x.permute(
        0, 2, 3, 4, 1).reshape(3, 7, 150))


def test_true_bidirectional_mode():
    torch.manual_seed(0)
    model = small(official_recurrence=False).eval()
    x = torch.randn(3, 2, 7, 25, 3)
    seq = model.input_norm(x.permute(0, 2, 3, 4, 1).reshape(3, 7, 150)
                           .transpose(1, 2)).transpose(1, 2)
    feat = model(x)
    torch.testing.assert_close(feat, model.gru(seq)[0][:, -1])
    assert not torch.allclose(feat, frame_by_frame_features(model, x))
    # The reverse direction of the top layer reads one step from a zero
    # state at the last frame: its recurrent matrix gets no gradient.
    model.train()
    model(x).sum().backward()
    assert model.gru.weight_hh_l1_reverse.grad.abs().sum() == 0
    assert model.gru.weight_hh_l1.grad.abs().sum() > 0


def test_gradients_reach_every_parameter():
    torch.manual_seed(0)
    model = small()
    model(torch.randn(4, 2, 5, 25, 3)).pow(2).sum().backward()
    for name, param in model.named_parameters():
        assert param.grad is not None, name
        assert param.grad.abs().sum() > 0, name


def test_zero_second_person():
    torch.manual_seed(0)
    model = small()
    x = torch.randn(4, 2, 6, 25, 3)
    x[:, 1] = 0
    feat = model(x)
    assert torch.isfinite(feat).all()
    model.eval()
    one = model(x[:1])
    torch.testing.assert_close(one, model(x)[:1])


def test_init_weights_is_xavier_uniform():
    torch.manual_seed(0)
    model = small()
    before = model.gru.weight_ih_l0.clone()
    model.init_weights()
    weight = model.gru.weight_ih_l0  # (3 * hidden, 150)
    bound = math.sqrt(6 / sum(weight.shape))
    assert not torch.equal(before, weight)
    assert weight.abs().max() <= bound
    assert weight.abs().max() > 0.9 * bound


def test_bad_inputs_and_args():
    model = small()
    with pytest.raises(ValueError, match=r'BiGRU: input.*\(4, 10, 25, 3\)'):
        model(torch.randn(4, 10, 25, 3))
    with pytest.raises(ValueError, match=r'V=25.*\(4, 2, 10, 17, 3\)'):
        model(torch.randn(4, 2, 10, 17, 3))
    with pytest.raises(ValueError, match=r'M=2.*\(4, 1, 10, 25, 3\)'):
        model(torch.randn(4, 1, 10, 25, 3))
    with pytest.raises(ValueError, match='no frames'):
        model(torch.randn(4, 2, 0, 25, 3))
    with pytest.raises(ValueError, match='BiGRU: hidden_channels'):
        BiGRU(hidden_channels=0)


def test_state_dict_and_deepcopy():
    # A momentum (key) encoder is a deep copy of the query encoder.
    torch.manual_seed(0)
    model = small().eval()
    assert {k.split('.')[0] for k in model.state_dict()} == {
        'input_norm', 'gru'
    }
    x = torch.randn(2, 2, 4, 25, 3)
    torch.testing.assert_close(copy.deepcopy(model)(x), model(x))
