"""What HaLP costs on top of MoCo, and its k-means against geomstats'.

- Training step (``moco_step_s``, ``halp_step_s``, ``halp_over_moco``): one
  ``train_step`` (forward, backward, SGD) plus the momentum update of a
  ``SkeletonMoCo`` without and with ``HaLPHead``: the same backbone, batch,
  queue, inputs and device. Steps are timed in blocks of ``--interval``
  steps, so every HaLP block holds exactly one prototype refresh (the figure
  is amortised over the interval); MoCo and HaLP blocks alternate, so a busy
  machine slows both alike; medians. ``host_sync_ops_*`` list the ops of a
  HaLP step that would make the host wait for a GPU (reading a value back,
  value-dependent output sizes, host-to-device copies of new data),
  recorded with a ``TorchDispatchMode`` on any device.
- k-means (``kmeans_*``, ``geomstats_*``): ``spherical_kmeans`` as
  ``HaLPHead`` runs it against geomstats' ``RiemannianKMeans`` as the
  official code runs it (``init='kmeans++', tol=1e-3``, Fréchet means with
  ``init_step_size=1.0``; on ``Hypersphere(dim=D - 1)``, the sphere of unit
  D-vectors, where the official code passed ``dim=D``), on the same keys:
  ``--num-keys`` unit vectors around 60 random class directions (NTU-60's
  classes; mean cosine 0.6 to their direction). The objective is the mean
  cosine of each key to its nearest centroid; higher is better. geomstats is
  optional (``pip install geomstats``); without it its figures are null.
The two-view data pipeline's throughput is in ``view_throughput.py``.

Example:
    python tools/benchmarks/speed.py --threads 1 --out speed.json
"""
import argparse
import contextlib
import logging
import random
import resource
import statistics
import time
from collections import Counter
from typing import Callable, Dict

import numpy as np
import torch
import torch.nn.functional as F
from torch.utils._python_dispatch import TorchDispatchMode

import halp_mmaction  # noqa: F401 (registers; NumPy 2 shims geomstats needs)
from bench_common import sync, write_figures
from halp_mmaction.models.utils import kmeans_objective, spherical_kmeans

BACKBONES = {
    # The demo config's ST-GCN: small enough for a CPU.
    'demo': (dict(base_channels=16, num_stages=4, inflate_stages=[3],
                  down_stages=[3]), 32),
    # MMAction2's ST-GCN as the NTU recipe uses it.
    'stgcn': (dict(), 256),
}


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--device', choices=['cpu', 'cuda'], default='cpu')
    parser.add_argument('--threads', type=int, help='torch CPU threads '
                        '(default: torch\'s own choice)')
    parser.add_argument('--backbone', choices=sorted(BACKBONES),
                        default='demo', help='demo: ST-GCN with 16 base '
                        'channels and 4 stages; stgcn: the recipe\'s')
    parser.add_argument('--clip-len', type=int, default=64)
    parser.add_argument('--batch-size', type=int, default=64)
    parser.add_argument('--queue-len', type=int, default=16384)
    parser.add_argument('--feat-dim', type=int, default=128)
    parser.add_argument('--num-prototypes', type=int, default=20)
    parser.add_argument('--num-keys', type=int, default=256)
    parser.add_argument('--interval', type=int, default=10)
    parser.add_argument('--num-positives', type=int, default=100)
    parser.add_argument('--kmeans-iters', type=int, default=20,
                        help="HaLPHead's kmeans_iters")
    parser.add_argument('--blocks', type=int, default=3,
                        help='timed blocks of --interval steps per model')
    parser.add_argument('--warmup-blocks', type=int, default=1)
    parser.add_argument('--kmeans-trials', type=int, default=20,
                        help='key sets clustered by both k-means')
    parser.add_argument('--kmeans-repeats', type=int, default=20,
                        help='timed runs of ours per key set')
    parser.add_argument('--skip', nargs='*', default=[],
                        choices=['train', 'kmeans'])
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--out', help='write the figures to this JSON file')
    args = parser.parse_args(argv)
    if args.device == 'cuda' and not torch.cuda.is_available():
        parser.error('--device cuda: CUDA is not available')
    return args


# -- training step -----------------------------------------------------------
class HostSyncRecorder(TorchDispatchMode):
    """Counts the ops that make the host wait for the device on a GPU."""

    READS = {
        '_local_scalar_dense',  # .item(), float(t), bool(t), if t: ...
        'is_nonzero', 'equal', 'nonzero', 'masked_select', 'bincount',
        'multinomial', '_unique2', 'unique_dim', 'unique_consecutive',
        'lift_fresh',  # torch.tensor(host data): a host-to-device copy
    }

    def __init__(self):
        super().__init__()
        self.counts = Counter()

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        name = func.overloadpacket.__name__
        syncs = name in self.READS
        if name == 'repeat_interleave':  # tensor repeats: output size
            syncs = isinstance(args[0], torch.Tensor) and \
                kwargs.get('output_size') is None
        elif name == 'index':  # boolean masks: nonzero
            syncs = any(i is not None and i.dtype == torch.bool
                        for i in args[1])
        elif name == '_to_copy':  # .cpu(), .numpy() of a device tensor
            syncs = args[0].device.type != 'cpu' and \
                str(kwargs.get('device', '')) == 'cpu'
        if syncs:
            self.counts[f'aten.{name}'] += 1
        return func(*args, **kwargs)


def build_model(args, halp: bool, device: str):
    from mmaction.registry import MODELS
    from mmengine.optim import OptimWrapper
    backbone, channels = BACKBONES[args.backbone]
    cfg = dict(
        type='SkeletonMoCo',
        backbone=dict(
            type='STGCN',
            graph_cfg=dict(layout='nturgb+d', mode='stgcn_spatial'),
            **backbone),
        neck=dict(type='ProjectionMLP', in_channels=channels,
                  hid_channels=channels, out_channels=args.feat_dim),
        queue_len=args.queue_len,
        feat_dim=args.feat_dim)
    if halp:
        cfg['halp_head'] = dict(
            num_prototypes=args.num_prototypes, num_keys=args.num_keys,
            interval=args.interval, num_positives=args.num_positives,
            kmeans_iters=args.kmeans_iters, warmup_samples=0)
    torch.manual_seed(args.seed)  # the same weights for both models
    model = MODELS.build(cfg).to(device)
    model.init_weights()
    model.train()
    optim = OptimWrapper(torch.optim.SGD(
        [p for p in model.parameters() if p.requires_grad], lr=0.01,
        momentum=0.9, weight_decay=1e-4))

    def step(data: dict, recorder: HostSyncRecorder = None) -> None:
        """``model.train_step`` and the momentum update; ``recorder``
        watches all of it but the batching of the inputs (mmengine's
        ``stack_batch`` reads the samples' shapes from host tensors)."""
        batch = model.data_preprocessor(data, training=True)
        with recorder or contextlib.nullcontext():
            loss, _ = model.parse_losses(model(**batch, mode='loss'))
            optim.update_params(loss)
            model.momentum_update(0.999)

    return step


def time_training(args) -> dict:
    device = args.device
    g = torch.Generator().manual_seed(args.seed)
    inputs = torch.randn(args.batch_size, 2, 2, args.clip_len, 25, 3,
                         generator=g).to(device)
    data = dict(inputs=list(inputs), data_samples=None)
    steps = {name: build_model(args, name == 'halp', device)
             for name in ('moco', 'halp')}

    # MoCo and HaLP steps alternate one by one, so that a load that comes
    # and goes on the machine slows both alike; a block is one interval.
    blocks = {name: [] for name in steps}
    for b in range(args.warmup_blocks + args.blocks):
        spent = dict.fromkeys(steps, 0.0)
        for i in range(args.interval):
            for name in (('moco', 'halp') if (b + i) % 2 else
                         ('halp', 'moco')):
                sync(device)
                tic = time.perf_counter()
                steps[name](data)
                sync(device)
                spent[name] += time.perf_counter() - tic
        if b >= args.warmup_blocks:
            for name in steps:
                blocks[name].append(spent[name] / args.interval)
    moco, halp = (statistics.median(blocks[n]) for n in ('moco', 'halp'))
    ratio = statistics.median(
        h / m for h, m in zip(blocks['halp'], blocks['moco']))
    head = time_halp_head(args)

    # Which ops of a HaLP step would wait for a GPU: one interval, the
    # refresh step apart from the others.
    step = build_model(args, True, device)
    per_step = []
    for _ in range(args.interval):
        recorder = HostSyncRecorder()
        step(data, recorder)
        per_step.append(recorder.counts)
    plain = sum(per_step[1:], Counter())
    return dict(
        moco_step_s=round(moco, 4),
        halp_step_s=round(halp, 4),
        halp_over_moco=round(ratio, 4),
        moco_step_blocks_s=[round(t, 4) for t in blocks['moco']],
        halp_step_blocks_s=[round(t, 4) for t in blocks['halp']],
        # HaLPHead.loss and its backward alone, amortised like the step:
        # a low-noise estimate of what HaLP adds.
        halp_head_s=round(head, 5),
        halp_over_moco_from_head=round(1 + head / moco, 4),
        host_sync_ops_per_step={k: v / (args.interval - 1)
                                for k, v in plain.items()}
        if args.interval > 1 else {},
        host_sync_ops_refresh_step=dict(per_step[0]))


def time_halp_head(args) -> float:
    """Seconds per step of ``HaLPHead.loss`` and its backward, amortised
    over the refresh interval, on cached queries, keys and queue."""
    from halp_mmaction.models import HaLPHead
    device = args.device
    head = HaLPHead(
        feat_dim=args.feat_dim, num_prototypes=args.num_prototypes,
        num_keys=args.num_keys, interval=args.interval,
        num_positives=args.num_positives, kmeans_iters=args.kmeans_iters,
        warmup_samples=0).to(device)
    head.set_queue_len(args.queue_len)
    g = torch.Generator().manual_seed(args.seed)
    queue, query, keys = (F.normalize(
        torch.randn(n, args.feat_dim, generator=g), dim=1).to(device)
                          for n in (args.queue_len, args.batch_size,
                                    args.batch_size))
    query.requires_grad_()
    blocks = []
    for b in range(args.warmup_blocks + 3 * args.blocks):
        sync(device)
        tic = time.perf_counter()
        for _ in range(args.interval):
            head.loss(query, keys, queue, 0,
                      args.batch_size)['loss_halp'].backward()
        sync(device)
        if b >= args.warmup_blocks:
            blocks.append((time.perf_counter() - tic) / args.interval)
    return statistics.median(blocks)


# -- k-means -----------------------------------------------------------------
def make_keys(num_keys: int, dim: int, seed: int) -> torch.Tensor:
    """Unit keys around 60 random directions, mean cosine 0.6 to theirs."""
    g = torch.Generator().manual_seed(seed)
    centres = F.normalize(torch.randn(60, dim, generator=g), dim=1)
    noise = (1 / 0.6**2 - 1)**0.5 / dim**0.5  # |noise| ~ 1.33 |centre|
    x = centres[torch.randint(60, (num_keys, ), generator=g)]
    return F.normalize(x + noise * torch.randn(num_keys, dim, generator=g),
                       dim=1)


def geomstats_kmeans() -> Callable:
    """The official prototype step on the current geomstats API, or None."""
    try:
        from geomstats.geometry.hypersphere import Hypersphere
        from geomstats.learning.kmeans import RiemannianKMeans
    except ImportError:
        return None
    logging.getLogger().setLevel(logging.ERROR)  # max-iteration warnings

    def fit(keys: np.ndarray, k: int) -> np.ndarray:
        kmeans = RiemannianKMeans(Hypersphere(dim=keys.shape[1] - 1), k,
                                  init='kmeans++', tol=1e-3)
        kmeans.mean_estimator.set(init_step_size=1.0)
        kmeans.fit(keys)
        return np.asarray(kmeans.cluster_centers_)

    return fit


def time_kmeans(args) -> dict:
    device, k = args.device, args.num_prototypes
    ours_t, ours_obj, gs_t, gs_obj = [], [], [], []
    gs_fit = geomstats_kmeans()
    for trial in range(args.kmeans_trials):
        keys = make_keys(args.num_keys, args.feat_dim, args.seed + trial)
        on_device = keys.to(device)
        torch.manual_seed(trial)
        for rep in range(args.kmeans_repeats + 3):  # 3 warm-up runs
            sync(device)
            tic = time.perf_counter()
            cents, _ = spherical_kmeans(on_device, k,
                                        num_iters=args.kmeans_iters)
            sync(device)
            if rep >= 3:
                ours_t.append(time.perf_counter() - tic)
            if rep == 3:
                ours_obj.append(float(kmeans_objective(keys, cents.cpu())))
        if gs_fit is not None:
            # The official code's draws come from python's random and NumPy.
            random.seed(trial)
            np.random.seed(trial)
            tic = time.perf_counter()
            cents = gs_fit(keys.numpy().astype(np.float32), k)
            gs_t.append(time.perf_counter() - tic)
            gs_obj.append(float(kmeans_objective(
                keys, torch.from_numpy(cents).float())))
    out = dict(
        kmeans_s=statistics.median(ours_t),
        kmeans_objective=round(statistics.mean(ours_obj), 4),
        geomstats_kmeans_s=None, geomstats_objective=None,
        kmeans_speedup=None, objective_ratio=None)
    if gs_t:
        out.update(
            geomstats_kmeans_s=round(statistics.median(gs_t), 4),
            geomstats_objective=round(statistics.mean(gs_obj), 4),
            kmeans_speedup=round(statistics.median(gs_t) / out['kmeans_s'],
                                 1),
            objective_ratio=round(
                statistics.mean(ours_obj) / statistics.mean(gs_obj), 4))
    out['kmeans_s'] = round(out['kmeans_s'], 6)
    return out


def main(argv=None) -> dict:
    args = parse_args(argv)
    from mmengine.logging import MMLogger
    from mmengine.registry import init_default_scope
    init_default_scope('mmaction')
    # init_weights reports every parameter at INFO.
    MMLogger.get_current_instance().setLevel(logging.WARNING)
    if args.threads:
        torch.set_num_threads(args.threads)
    figures: Dict[str, object] = {}
    if 'train' not in args.skip:
        figures.update(time_training(args))
        print(f"step: MoCo {figures['moco_step_s']:.3f} s, HaLP "
              f"{figures['halp_step_s']:.3f} s "
              f"({figures['halp_over_moco']:.3f}x)")
    if 'kmeans' not in args.skip:
        figures.update(time_kmeans(args))
        print(f"k-means: ours {figures['kmeans_s'] * 1e3:.2f} ms "
              f"(objective {figures['kmeans_objective']}), geomstats "
              f"{figures['geomstats_kmeans_s']} s "
              f"(objective {figures['geomstats_objective']})")
    try:
        import geomstats
        geomstats_version = geomstats.__version__
    except ImportError:
        geomstats_version = None
    figures.update(
        peak_rss_mb=round(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        settings=dict(
            backbone=args.backbone,
            backbone_cfg=BACKBONES[args.backbone][0], clip_len=args.clip_len,
            batch_size=args.batch_size, queue_len=args.queue_len,
            feat_dim=args.feat_dim, num_prototypes=args.num_prototypes,
            num_keys=args.num_keys, interval=args.interval,
            num_positives=args.num_positives,
            kmeans_iters=args.kmeans_iters, blocks=args.blocks,
            warmup_blocks=args.warmup_blocks,
            kmeans_trials=args.kmeans_trials, seed=args.seed),
        geomstats=geomstats_version)
    print(f"peak RSS {figures['peak_rss_mb']} MB")
    return write_figures(figures, args.out, args.device)


if __name__ == '__main__':
    main()
