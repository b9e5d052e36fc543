"""SkeletonCMD: three MoCo streams tied by CMD, HaLP per stream; its
losses, queues, momentum update, schedule, state and exact resume."""
from types import SimpleNamespace

import pytest
import torch
import torch.nn.functional as F
from conftest import check_resume_repeats_the_run, tiny_demo_cfg, \
    tiny_moco_cfg
from mmaction.registry import MODELS

from halp_mmaction.engine import HaLPScheduleHook
from halp_mmaction.models.utils.skeleton_streams import skeleton_stream

STREAMS = ('joint', 'motion', 'bone')


def _cfg(halp=True, **kwargs):
    cfg = tiny_moco_cfg(halp=halp, queue_len=16, type='SkeletonCMD',
                        cmd_head=dict(type='CMDHead', topk=8))
    cfg.update(kwargs)
    return cfg


def _model(**kwargs):
    model = MODELS.build(_cfg(**kwargs))
    model.init_weights()
    return model


def _batch(n=4, t=8):
    return torch.randn(n, 2, 2, t, 25, 3)


def test_streams_have_their_own_encoders_and_queues():
    torch.manual_seed(0)
    model = _model()
    assert tuple(model.encoders) == STREAMS
    weights = [e.backbone.gcn[0].gcn.conv.weight for e in
               model.encoders.values()]
    assert not torch.equal(weights[0], weights[1])  # independent inits
    for encoder in model.encoders.values():
        for q, k in zip(encoder.query_parameters(),
                        encoder.key_parameters()):
            assert torch.equal(q, k)
    assert len({id(e.queue) for e in model.encoders.values()}) == 3


def test_loss_is_every_streams_moco_and_the_cmd_of_their_queues():
    torch.manual_seed(1)
    model = _model(halp=False)
    model.eval()  # deterministic BN: the step can be recomputed
    x = _batch()
    queues = {s: e.queue.clone() for s, e in model.encoders.items()}
    with torch.no_grad():
        query, keys = {}, {}
        for s, e in model.encoders.items():
            query[s] = F.normalize(e.neck(e.pool(e.backbone(
                skeleton_stream(x[:, 0], s)))), dim=1)
            keys[s] = e._key_encoder(skeleton_stream(x[:, 1], s))
    losses = model(x, mode='loss')
    assert set(losses) == {'loss_moco_joint', 'loss_moco_motion',
                           'loss_moco_bone', 'loss_cmd'}
    expected_cmd = model.cmd_head.loss(
        {s: query[s] @ queues[s].T for s in STREAMS},
        {s: keys[s] @ queues[s].T for s in STREAMS})
    torch.testing.assert_close(losses['loss_cmd'], expected_cmd)
    for s, e in model.encoders.items():
        expected = e.head.loss((query[s] * keys[s]).sum(1, keepdim=True),
                               query[s] @ queues[s].T)
        torch.testing.assert_close(losses[f'loss_moco_{s}'], expected)
        # The queues advance together, each with its own stream's keys.
        assert e._queue_ptr == 4
        torch.testing.assert_close(e.queue[:4], keys[s])


def test_momentum_update_moves_every_key_encoder():
    torch.manual_seed(2)
    model = _model()
    with torch.no_grad():
        for e in model.encoders.values():
            for p in e.query_parameters():
                p.add_(1.0)
    before = {s: [p.clone() for p in e.key_parameters()]
              for s, e in model.encoders.items()}
    model.momentum_update(0.9)
    for s, e in model.encoders.items():
        for pk, k0, pq in zip(e.key_parameters(), before[s],
                              e.query_parameters()):
            torch.testing.assert_close(pk, 0.9 * k0 + 0.1 * pq)


def test_schedule_hook_switches_every_streams_halp_head():
    model = _model()
    heads = [e.halp_head for e in model.encoders.values()]
    hook = HaLPScheduleHook(start_epoch=1, ramp_epochs=2)
    runner = SimpleNamespace(model=model, epoch=0, max_epochs=4,
                             train_dataloader=[0] * 5)
    hook.before_train_iter(runner, 0)
    assert not any(h.enabled for h in heads)
    runner.epoch = 2
    hook.before_train_iter(runner, 4)
    assert all(h.enabled and h.weight_scale == 1.0 for h in heads)
    runner.epoch = 1
    hook.before_train_iter(runner, 0)
    assert all(h.weight_scale == pytest.approx(0.1) for h in heads)


def test_feature_is_the_mean_of_the_streams_features():
    torch.manual_seed(3)
    model = _model().eval()
    x = torch.randn(3, 1, 2, 8, 25, 3)
    feats = [e.extract_feat(skeleton_stream(x, s))
             for s, e in model.encoders.items()]
    torch.testing.assert_close(model(x), torch.stack(feats).mean(0))


def test_bad_settings_fail_at_build():
    with pytest.raises(ValueError, match='distinct and not empty'):
        MODELS.build(_cfg(streams=('joint', 'joint')))
    with pytest.raises(ValueError, match='must give joint coordinates'):
        MODELS.build(_cfg(data_preprocessor=dict(
            type='SkeletonStreamPreprocessor', stream='bone')))
    with pytest.raises(ValueError, match=r'topk \(32\) must be <='):
        MODELS.build(_cfg(cmd_head=dict(type='CMDHead', topk=32)))
    with pytest.raises(ValueError, match='two streams or more'):
        MODELS.build(_cfg(streams=('bone', )))


def test_state_dict_restores_every_streams_queue_and_halp_state():
    torch.manual_seed(4)
    model = _model()
    for e in model.encoders.values():
        e.halp_head.warmup_samples = 0
    for _ in range(3):
        model(_batch(), mode='loss')
    fresh = _model()
    fresh.load_state_dict(model.state_dict())
    for s in STREAMS:
        a, b = model.encoders[s], fresh.encoders[s]
        assert b._queue_ptr == a._queue_ptr == 12
        assert torch.equal(a.queue, b.queue)
        assert torch.equal(a.halp_head.prototypes, b.halp_head.prototypes)
        assert b.halp_head._samples_seen == a.halp_head._samples_seen


def _cfg_run(work_dir):
    cfg = tiny_demo_cfg(work_dir, 2, warmup_samples=24)
    cfg.model.update(type='SkeletonCMD',
                     cmd_head=dict(type='CMDHead', topk=18))
    cfg.randomness = dict(seed=0, deterministic=True)
    return cfg


def test_resumed_multi_stream_run_repeats_the_uninterrupted_one(tmp_path):
    # Every stream's queue, prototypes and counters among the states.
    runner_a, runner_b = check_resume_repeats_the_run(
        _cfg_run, tmp_path, kept='halp_kept_bone')
