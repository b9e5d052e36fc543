"""Two CPU processes (gloo) train a tiny SkeletonMoCo + HaLP (and a
SkeletonCMD) under mmengine's DDP wrapper, against one process on the same
global batch. With ``HALP_DDP_BACKEND=nccl`` (two GPUs;
tools/benchmarks/gpu_check.sh sets it) the ranks run on ``cuda:0`` and
``cuda:1`` with NCCL and the single process on ``cuda:0``.

Batch norm is frozen (eval mode) in both runs. In train mode each rank
normalises by the statistics of its own half batch, and shuffle BN gives the
key encoder yet another half, so two processes compute a different function
from one by design. Frozen, batch norm is per sample, and a wrong shuffle or
unshuffle would pair queries with other samples' keys: the MoCo losses must
then match the single process to float precision. HaLP's draws (targets,
hardness) are made per rank for its own anchors, so once HaLP is on the two
runs average different random positives; its loss must match within
``HALP_RTOL`` (and the MoCo loss, whose weights have drifted by then, within
``MOCO_RTOL_LATE``).
"""
import os
import socket

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from conftest import tiny_moco_cfg

WORLD = 2
LOCAL_BATCH = 8
STEPS = 6
QUEUE = 32          # 2 steps of the global batch of 16: HaLP is on from step 3
MOCO_RTOL = 1e-5    # steps 1-2, before HaLP: the same computation
MOCO_RTOL_LATE = 1e-2  # after HaLP steps the weights differ a little
HALP_RTOL = 3e-2    # different random positives (measured: <= 0.3 %)
BACKEND = os.environ.get('HALP_DDP_BACKEND', 'gloo')


def _device(rank: int) -> str:
    return f'cuda:{rank}' if BACKEND == 'nccl' else 'cpu'


def _load_ranks(tmp_path, kind: str):
    return [torch.load(tmp_path / f'{kind}{r}.pth', weights_only=False,
                       map_location=_device(0)) for r in range(WORLD)]


def _init_with_frozen_bn(model) -> None:
    model.init_weights()
    model.train()
    for module in model.modules():
        if isinstance(module, torch.nn.modules.batchnorm._BatchNorm):
            module.eval()


def _build(seed: int):
    from mmaction.registry import MODELS
    from mmengine.registry import init_default_scope
    init_default_scope('mmaction')
    torch.manual_seed(0)  # the same weights and queue everywhere
    # num_keys == num_prototypes: the prototypes are the newest keys, so they
    # do not depend on k-means++'s random seeds (only their order does).
    model = MODELS.build(
        tiny_moco_cfg(
            queue_len=QUEUE,
            halp_head=dict(num_prototypes=4, num_keys=4, interval=2,
                           num_positives=8, warmup_samples=QUEUE)))
    _init_with_frozen_bn(model)
    # Different per-rank streams: identical prototypes need the broadcast.
    torch.manual_seed(seed)
    return model


def _global_batches():
    g = torch.Generator().manual_seed(123)
    return [torch.randn(WORLD * LOCAL_BATCH, 2, 2, 8, 25, 3, generator=g)
            for _ in range(STEPS)]


def _train(model, wrapped, batches, rank_slice):
    from mmengine.optim import OptimWrapper
    optim = OptimWrapper(torch.optim.SGD(
        [p for p in model.parameters() if p.requires_grad], lr=0.1,
        momentum=0.9))
    losses, first_queue = [], None
    for x in batches:
        log = wrapped.train_step(
            dict(inputs=list(x[rank_slice]), data_samples=None), optim)
        model.momentum_update(0.99)
        losses.append({k: float(v.detach()) for k, v in log.items()})
        if first_queue is None:
            first_queue = model.queue.clone()
    return dict(losses=losses, first_queue=first_queue,
                queue=model.queue.clone(),
                prototypes=model.halp_head.prototypes.clone(),
                weights=[p.detach().clone() for p in model.parameters()])


def _worker(rank: int, port: int, out_dir: str, kind: str = 'halp') -> None:
    os.environ.update(MASTER_ADDR='127.0.0.1', MASTER_PORT=str(port))
    torch.set_num_threads(1)
    if BACKEND == 'nccl':
        torch.cuda.set_device(rank)
    dist.init_process_group(BACKEND, rank=rank, world_size=WORLD)
    try:
        import halp_mmaction  # noqa: F401
        from mmengine.model import MMDistributedDataParallel
        build, train = KINDS[kind]
        model = build(seed=1000 + rank).to(_device(rank))
        wrapped = MMDistributedDataParallel(model, broadcast_buffers=False)
        n = LOCAL_BATCH
        result = train(model, wrapped, _global_batches(),
                       slice(rank * n, (rank + 1) * n))
        torch.save(result, os.path.join(out_dir, f'{kind}{rank}.pth'))
    finally:
        dist.destroy_process_group()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def test_two_processes_match_one_with_the_global_batch(tmp_path):
    mp.spawn(_worker, args=(_free_port(), str(tmp_path)), nprocs=WORLD)
    ranks = _load_ranks(tmp_path, 'halp')

    model = _build(seed=1000).to(_device(0))
    single = _train(model, model, _global_batches(), slice(None))

    # The queue holds both ranks' keys, in rank order, on every rank.
    global_batch = WORLD * LOCAL_BATCH
    for r in ranks:
        torch.testing.assert_close(r['first_queue'][:global_batch],
                                   single['first_queue'][:global_batch],
                                   rtol=0, atol=1e-6)
        assert torch.equal(r['queue'], ranks[0]['queue'])
        # Broadcast from rank 0: identical despite different seeds.
        assert torch.equal(r['prototypes'], ranks[0]['prototypes'])
        for w, w0 in zip(r['weights'], ranks[0]['weights']):
            assert torch.equal(w, w0)
    assert ranks[0]['prototypes'].abs().sum() > 0

    # The per-rank losses are means over half the batch: average them.
    for step, ref in enumerate(single['losses']):
        got = {k: sum(r['losses'][step][k] for r in ranks) / WORLD
               for k in ('loss_moco', 'loss_halp')}
        halp_on = ref['halp_generated'] > 0
        assert halp_on == (step >= 2)
        rtol = MOCO_RTOL_LATE if halp_on else MOCO_RTOL
        assert abs(got['loss_moco'] - ref['loss_moco']) <= \
            rtol * abs(ref['loss_moco']), (step, got, ref)
        if halp_on:
            assert abs(got['loss_halp'] - ref['loss_halp']) <= \
                HALP_RTOL * abs(ref['loss_halp']), (step, got, ref)


CMD_STEPS = 3


def _build_cmd(seed: int = 0):
    """SkeletonCMD without HaLP: no per-rank draws, so the runs agree."""
    from mmaction.registry import MODELS
    from mmengine.registry import init_default_scope
    init_default_scope('mmaction')
    torch.manual_seed(0)
    model = MODELS.build(tiny_moco_cfg(
        halp=False, queue_len=QUEUE, type='SkeletonCMD',
        cmd_head=dict(type='CMDHead', topk=8)))
    _init_with_frozen_bn(model)
    return model


def _train_cmd(model, wrapped, batches, rank_slice):
    from mmengine.optim import OptimWrapper
    optim = OptimWrapper(torch.optim.SGD(
        [p for p in model.parameters() if p.requires_grad], lr=0.1))
    losses = []
    for x in batches[:CMD_STEPS]:
        log = wrapped.train_step(
            dict(inputs=list(x[rank_slice]), data_samples=None), optim)
        model.momentum_update(0.99)
        losses.append({k: float(v.detach()) for k, v in log.items()})
    return dict(losses=losses, queues={
        s: e.queue.clone() for s, e in model.encoders.items()})


KINDS = dict(halp=(_build, _train), cmd=(_build_cmd, _train_cmd))


def test_multi_stream_model_in_two_processes_matches_one(tmp_path):
    """SkeletonCMD: every stream's queue holds both ranks' keys, and the
    MoCo and distillation losses are those of one process."""
    mp.spawn(_worker, args=(_free_port(), str(tmp_path), 'cmd'), nprocs=WORLD)
    ranks = _load_ranks(tmp_path, 'cmd')
    model = _build_cmd().to(_device(0))
    single = _train_cmd(model, model, _global_batches(), slice(None))
    for r in ranks:
        for stream, queue in r['queues'].items():
            torch.testing.assert_close(queue, single['queues'][stream],
                                       rtol=0, atol=1e-4)
    for step, ref in enumerate(single['losses']):
        for key in ('loss_moco_joint', 'loss_moco_motion', 'loss_moco_bone',
                    'loss_cmd'):
            got = sum(r['losses'][step][key] for r in ranks) / WORLD
            assert abs(got - ref[key]) <= 1e-4 * abs(ref[key]), (step, key)
