import math

import pytest
import torch
import torch.nn.functional as F

from halp_mmaction.models import HaLPHead


def _head(**kwargs):
    cfg = dict(feat_dim=8, num_prototypes=4, num_keys=16, interval=3,
               num_positives=5, hardness=0.8, loss_weight=2.0,
               temperature=0.07)
    cfg.update(kwargs)
    head = HaLPHead(**cfg)
    head.set_queue_len(32)
    return head


def _unit(*shape):
    return F.normalize(torch.randn(*shape), dim=-1)


def test_warmup_until_the_queue_holds_real_keys():
    torch.manual_seed(0)
    head = _head()
    queue = _unit(32, 8)
    for step in range(4):  # 4 x 8 = 32 keys: the queue is full of real keys
        assert not head.active
        out = head.loss(_unit(8, 8), _unit(8, 8), queue, 0, num_new_keys=8)
        assert out['loss_halp'].item() == 0
        assert out['halp_generated'].item() == 0
        assert (head.prototypes == 0).all()
    assert head.active
    out = head.loss(_unit(8, 8), _unit(8, 8), queue, 0, num_new_keys=8)
    assert out['halp_generated'].item() == 8 * 5
    assert out['loss_halp'].item() != 0
    assert int(head.samples_seen) == 40


def test_prototypes_refresh_every_interval_from_the_newest_keys():
    torch.manual_seed(0)
    head = _head(warmup_samples=0, num_keys=4, num_prototypes=4)
    queue = _unit(32, 8)
    q, k = _unit(2, 8), _unit(2, 8)
    head.loss(q, k, queue, queue_ptr=10, num_new_keys=2)
    # With num_keys == num_prototypes every key is its own centroid: the
    # prototypes are exactly the 4 keys before the pointer.
    newest = queue[6:10]
    assert torch.allclose(
        (head.prototypes @ newest.T).max(dim=1).values, torch.ones(4),
        atol=1e-5)
    before = head.prototypes.clone()
    queue2 = _unit(32, 8)
    for _ in range(2):  # steps 2 and 3 of the interval: no refresh
        head.loss(q, k, queue2, queue_ptr=10, num_new_keys=2)
        torch.testing.assert_close(head.prototypes, before)
    head.loss(q, k, queue2, queue_ptr=2, num_new_keys=2)  # wraps around
    wrapped = queue2[[30, 31, 0, 1]]
    assert torch.allclose(
        (head.prototypes @ wrapped.T).max(dim=1).values, torch.ones(4),
        atol=1e-5)


def test_rank_filter_keeps_exactly_positives_nearest_to_p0():
    torch.manual_seed(1)
    head = _head(num_prototypes=8, num_positives=50, hardness=1.0)
    head.prototypes.copy_(_unit(8, 8))
    keys = _unit(16, 8)
    z, keep = head.generate(keys)
    assert z.shape == (16, 50, 8) and keep.shape == (16, 50)
    p0 = (keys @ head.prototypes.T).argmax(1)
    expected = (z @ head.prototypes.T).argmax(-1) == p0[:, None]
    assert torch.equal(keep, expected)
    # In 8-d some walks reach a third prototype first: the filter drops them.
    assert 0 < keep.sum() < keep.numel()


def test_targets_are_other_prototypes_among_the_candidates():
    torch.manual_seed(2)
    head = _head(num_prototypes=6, num_candidates=1, num_positives=20,
                 hardness=0.0)
    head.prototypes.copy_(_unit(6, 8))
    keys = _unit(10, 8)
    z, _ = head.generate(keys)
    order = (keys @ head.prototypes.T).argsort(1, descending=True)
    p0, p1 = head.prototypes[order[:, 0]], head.prototypes[order[:, 1]]
    # hardness 0 -> u = 0: every positive on the p0 | second-nearest border.
    torch.testing.assert_close((z * p0[:, None]).sum(-1),
                               (z * p1[:, None]).sum(-1), atol=1e-5, rtol=0)


def test_loss_value_and_gradient_only_through_the_query():
    torch.manual_seed(3)
    head = _head(warmup_samples=0)
    queue = _unit(32, 8)
    q = _unit(6, 8).requires_grad_()
    k = _unit(6, 8)
    head.loss(q, k, queue, 16, num_new_keys=6)  # computes the prototypes
    torch.manual_seed(4)
    out = head.loss(q, k, queue, 16, num_new_keys=6)  # no refresh: same draws
    torch.manual_seed(4)
    z, keep = head.generate(k)
    sims = (q.detach()[:, None] * z).sum(-1)
    expected = -2.0 * sims[keep].mean() / 0.07
    torch.testing.assert_close(out['loss_halp'].detach(), expected)
    assert out['halp_kept'].item() == keep.sum().item()
    out['loss_halp'].backward()
    assert q.grad is not None and q.grad.abs().sum() > 0


@pytest.mark.parametrize('kwargs, match', [
    (dict(hardness=1.5), 'hardness'),
    (dict(hardness=-0.1), 'hardness'),
    (dict(num_prototypes=20, num_keys=16), 'num_keys .* must be >= '
     'num_prototypes'),
    (dict(num_prototypes=1), 'num_prototypes must be >= 2'),
    (dict(interval=0), 'interval'),
    (dict(num_candidates=4), 'num_candidates'),
    (dict(temperature=0), 'temperature'),
])
def test_bad_config_values_fail_at_build(kwargs, match):
    with pytest.raises(ValueError, match=match):
        _head(**kwargs)


def test_more_keys_than_the_queue_fails():
    head = HaLPHead(feat_dim=8, num_prototypes=4, num_keys=64)
    with pytest.raises(ValueError, match='queue length'):
        head.set_queue_len(32)


def test_counters_and_prototypes_round_trip_through_state_dict():
    torch.manual_seed(5)
    head = _head(warmup_samples=0)
    queue = _unit(32, 8)
    for _ in range(2):
        head.loss(_unit(8, 8), _unit(8, 8), queue, 8, num_new_keys=8)
    fresh = _head(warmup_samples=0)
    fresh.load_state_dict(head.state_dict())
    torch.testing.assert_close(fresh.prototypes, head.prototypes)
    assert fresh._samples_seen == 16 and int(fresh.samples_seen) == 16
    assert fresh._steps_since_refresh == head._steps_since_refresh == 2


# -- the two loss forms ------------------------------------------------------
def _fixed_positives(head, positives, keep):
    head.generate = lambda keys: (positives, keep)


@pytest.mark.parametrize('form', ['official', 'nce', 'multipos'])
def test_loss_forms_against_a_hand_computation(form):
    torch.manual_seed(3)
    head = _head(warmup_samples=0, loss_form=form, loss_weight=1.5,
                 temperature=0.1)
    q, k, queue = _unit(2, 8), _unit(2, 8), _unit(32, 8)
    positives = _unit(2, 5, 8)
    keep = torch.tensor([[1, 0, 1, 1, 0], [0, 0, 0, 1, 1]], dtype=torch.bool)
    head.refresh_prototypes(queue, 0)
    _fixed_positives(head, positives, keep)
    out = head.loss(q, k, queue, 0, num_new_keys=2)
    terms = []
    for n in range(2):
        neg = [math.exp(float(q[n] @ key) / 0.1) for key in queue]
        pos = [math.exp(float(q[n] @ positives[n, p]) / 0.1)
               for p in range(5) if keep[n, p]]
        if form == 'multipos':  # one term per anchor
            terms.append(-math.log(sum(pos) / (sum(pos) + sum(neg))))
            continue
        for e in pos:
            terms.append(-math.log(e) if form == 'official' else
                         -math.log(e / (e + sum(neg))))
    expected = 1.5 * sum(terms) / len(terms)
    assert out['loss_halp'].item() == pytest.approx(expected, rel=1e-5)
    assert out['halp_kept'].item() == 5
    sims = (q[:, None] * positives).sum(-1)[keep]
    assert out['halp_pos_sim'].item() == pytest.approx(sims.mean().item(),
                                                       rel=1e-5)
    head.weight_scale = 0.5  # set by a HaLPScheduleHook ramp
    assert head.loss(q, k, queue, 0, 2)['loss_halp'].item() == \
        pytest.approx(expected / 2, rel=1e-5)


def test_nce_forms_push_away_from_every_negative():
    """Gradient descent on the NCE forms lowers the query's similarity to
    every queue key (its gradient w.r.t. each negative logit is a softmax
    weight > 0) while raising it to the positives; the official form does
    not look at the negatives at all."""
    torch.manual_seed(4)
    queue = _unit(32, 8)
    positives, keep = _unit(3, 4, 8), torch.ones(3, 4, dtype=torch.bool)
    grads = {}
    for form in ('official', 'nce', 'multipos'):
        head = _head(warmup_samples=0, loss_form=form)
        head.refresh_prototypes(queue, 0)
        _fixed_positives(head, positives, keep)
        q = _unit(3, 8).requires_grad_()
        neg_sim = (q.detach() @ queue.T).requires_grad_()
        pos = head.loss(q, q, queue, 0, 3, neg_sim=neg_sim)['loss_halp']
        pos.backward()
        grads[form] = neg_sim.grad
    assert (grads['nce'] > 0).all() and (grads['multipos'] > 0).all()
    assert grads['official'] is None or not grads['official'].any()


def test_nce_form_computes_the_negatives_when_not_given():
    torch.manual_seed(5)
    head = _head(warmup_samples=0, loss_form='nce')
    q, queue = _unit(2, 8), _unit(32, 8)
    head.refresh_prototypes(queue, 0)
    _fixed_positives(head, _unit(2, 5, 8), torch.ones(2, 5, dtype=torch.bool))
    given = head.loss(q, q, queue, 0, 2, neg_sim=q @ queue.T)['loss_halp']
    computed = head.loss(q, q, queue, 0, 2)['loss_halp']
    assert given.item() == pytest.approx(computed.item(), rel=1e-6)


def test_unknown_loss_form_is_refused():
    with pytest.raises(ValueError, match='loss_form must be one of'):
        _head(loss_form='supcon')
