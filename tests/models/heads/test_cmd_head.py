"""CMD's cross-modal distillation loss against a direct computation."""
import math

import pytest
import torch

from halp_mmaction.models.heads import CMDHead


def _direct(query_sim, key_sim, topk, t_teacher, t_student):
    """The official formula, sample by sample with Python sums."""
    total = 0.0
    for teacher in key_sim:
        for student in query_sim:
            if student == teacher:
                continue
            for n in range(key_sim[teacher].shape[0]):
                sims = key_sim[teacher][n].tolist()
                top = sorted(range(len(sims)), key=lambda i: -sims[i])[:topk]
                zt = sum(math.exp(sims[i] / t_teacher) for i in top)
                zs = sum(math.exp(float(query_sim[student][n, i]) /
                                  t_student) for i in top)
                for i in top:
                    p = math.exp(sims[i] / t_teacher) / zt
                    q = math.exp(float(query_sim[student][n, i]) /
                                 t_student) / zs
                    total += p * (math.log(p) - math.log(q)) / \
                        key_sim[teacher].shape[0]
    return total


def test_cmd_loss_is_the_summed_kl_of_every_stream_pair():
    torch.manual_seed(0)
    streams = ('joint', 'motion', 'bone')
    query_sim = {s: torch.rand(3, 10) * 2 - 1 for s in streams}
    key_sim = {s: torch.rand(3, 10) * 2 - 1 for s in streams}
    head = CMDHead(topk=4, teacher_temperature=0.05, student_temperature=0.1,
                   loss_weight=0.5)
    loss = head.loss(query_sim, key_sim)
    expected = 0.5 * _direct(query_sim, key_sim, 4, 0.05, 0.1)
    assert loss.item() == pytest.approx(expected, rel=1e-5)


def test_gradient_reaches_the_students_not_the_teachers():
    torch.manual_seed(1)
    query_sim = {s: torch.randn(2, 8, requires_grad=True)
                 for s in ('joint', 'bone')}
    key_sim = {s: torch.randn(2, 8, requires_grad=True)
               for s in ('joint', 'bone')}
    CMDHead(topk=3).loss(query_sim, key_sim).backward()
    assert all(q.grad.abs().sum() > 0 for q in query_sim.values())
    assert all(k.grad is None for k in key_sim.values())
    # Only the teacher's top-k columns of each student get a gradient.
    for student, teacher in (('joint', 'bone'), ('bone', 'joint')):
        top = key_sim[teacher].topk(3, dim=1).indices
        outside = torch.ones(2, 8, dtype=torch.bool).scatter_(1, top, False)
        assert (query_sim[student].grad[outside] == 0).all()


def test_distillation_vanishes_when_students_match_teachers():
    sims = {s: torch.randn(4, 6) for s in ('joint', 'motion')}
    # A student logit of sim / 0.1 equals a teacher logit of sim / 0.1.
    head = CMDHead(topk=6, teacher_temperature=0.1, student_temperature=0.1)
    same = {'joint': sims['motion'], 'motion': sims['joint']}
    assert head.loss(same, sims).item() == pytest.approx(0, abs=1e-6)


def test_bad_settings_are_refused():
    with pytest.raises(ValueError, match='topk must be an int >= 1'):
        CMDHead(topk=0)
    with pytest.raises(ValueError, match='temperatures must be > 0'):
        CMDHead(student_temperature=0)
    with pytest.raises(ValueError, match=r'topk \(64\) must be <= the queue'):
        CMDHead(topk=64).check_queue_len(32)
    with pytest.raises(ValueError, match='at least two streams'):
        CMDHead(topk=1).loss({'joint': torch.zeros(1, 2)},
                             {'joint': torch.zeros(1, 2)})
