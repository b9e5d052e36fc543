import pytest
import torch
import torch.nn.functional as F

from halp_mmaction.models import hallucinate


def _setup(n=256, d=32, num_protos=10, seed=0):
    g = torch.Generator().manual_seed(seed)
    protos = F.normalize(torch.randn(num_protos, d, generator=g), dim=1)
    keys = F.normalize(torch.randn(n, d, generator=g), dim=1)
    order = (keys @ protos.T).argsort(dim=1, descending=True)
    pick = torch.randint(1, num_protos, (n, ), generator=g)
    p0 = protos[order[:, 0]]
    target = protos[order.gather(1, pick[:, None]).squeeze(1)]
    return keys, p0, target, protos, order[:, 0]


def test_unit_norm_and_shape():
    keys, p0, target, _, _ = _setup()
    z = hallucinate(keys, p0, target, torch.rand(keys.shape[0]) * 0.8)
    assert z.shape == keys.shape
    torch.testing.assert_close(z.norm(dim=1), torch.ones(len(z)))


def test_boundary_point_is_equidistant_at_u_zero():
    keys, p0, target, _, _ = _setup()
    z = hallucinate(keys, p0, target, torch.zeros(keys.shape[0]))
    torch.testing.assert_close((z * p0).sum(1), (z * target).sum(1),
                               atol=1e-5, rtol=0)
    # A genuine move away from the anchor, not the anchor itself.
    assert (z * keys).sum(1).mean() < 0.99


def test_lower_u_moves_away_from_anchor_toward_target():
    keys, p0, target, _, _ = _setup()
    us = [0.9, 0.6, 0.3, 0.0]
    zs = [hallucinate(keys, p0, target, torch.full((len(keys), ), u))
          for u in us]
    sim_k = torch.stack([(z * keys).sum(1) for z in zs])
    sim_p = torch.stack([(z * target).sum(1) for z in zs])
    assert (sim_k[1:] <= sim_k[:-1] + 1e-6).all()  # falls as u falls
    assert (sim_p[1:] >= sim_p[:-1] - 1e-6).all()  # rises as u falls
    assert (sim_k[-1] < sim_k[0]).all()


def test_positives_stay_on_the_anchor_side_of_the_boundary():
    keys, p0, target, _, _ = _setup()
    z = hallucinate(keys, p0, target, 0.05 + 0.75 * torch.rand(len(keys)))
    assert ((z * p0).sum(1) > (z * target).sum(1)).all()


def _on_circle(deg):
    rad = torch.deg2rad(torch.tensor(deg))
    return torch.stack([torch.cos(rad), torch.sin(rad), torch.zeros(())])[None]


def test_exact_boundary_in_a_plane():
    # k at 0 deg, p0 at 40 deg, p at 100 deg: the p0|p boundary is their
    # bisector at 70 deg, where the walk from k toward p must stop.
    z = hallucinate(_on_circle(0.), _on_circle(40.), _on_circle(100.),
                    torch.zeros(1))
    torch.testing.assert_close(z, _on_circle(70.), atol=1e-5, rtol=0)


def test_far_target_uses_the_obtuse_branch():
    # k at 0, p0 at 80, p at 170 deg: the boundary is at 125 deg, past 90 deg,
    # where kappa + cos(omega) < 0 and the plain arctangent would give a
    # negative t.
    k, p0, p = _on_circle(0.), _on_circle(80.), _on_circle(170.)
    kappa = (1 - (p * p0).sum()) / (k * (p0 - p)).sum()
    assert kappa + (k * p).sum() < 0
    z = hallucinate(k, p0, p, torch.zeros(1))
    torch.testing.assert_close(z, _on_circle(125.), atol=1e-5, rtol=0)
    # Half-way hardness: t = t_max / 2 along the 170 deg arc.
    z = hallucinate(k, p0, p, torch.full((1, ), 0.5))
    torch.testing.assert_close(z, _on_circle(62.5), atol=1e-5, rtol=0)


def test_bad_shapes_raise():
    keys, p0, target, _, _ = _setup(n=4)
    with pytest.raises(ValueError, match='share one'):
        hallucinate(keys, p0[:2], target, torch.zeros(4))
    with pytest.raises(ValueError, match='u must be'):
        hallucinate(keys, p0, target, torch.zeros(3))
