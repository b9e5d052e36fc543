"""Benchmark on real recordings: HaLP against MoCo over seeds, against a
randomly initialised encoder and against the raw poses, on a CPU.

    python tools/benchmarks/real_data.py --dataset nw_ucla \\
        --data-root ../shared/data/nw_ucla/all_sqe --work-dir work_dirs/ucla \\
        --out ucla_results.json --seeds 0 1 2 \\
        [--transfer-data-root ../shared/data/msr_action3d]
    python tools/benchmarks/real_data.py --dataset msr_action3d \\
        --data-root ../shared/data/msr_action3d --work-dir work_dirs/msr \\
        --out msr_results.json --seeds 0 1 2

Steps (each prints its progress):

1. Convert the raw files with the dataset's converter
   (``halp_mmaction.datasets.converters``) into the work dir.
2. Pretrain every method (``--methods``, HaLP and MoCo by default) with
   every seed through ``tools/train.py`` on the dataset's pretraining
   configs (``DATASETS`` below): same model, views, schedule and data for
   every method, ``--jobs`` runs side by side (one thread each; default 2,
   this machine's cores). The configs' datasets normalise the poses when
   they load (``preprocess``: ``SkeletonNormalize3D``), so every method
   sees the same input.
3. Probe, on the protocol's train and test splits, each pretrained encoder,
   the same encoder randomly initialised (one per seed) and the raw poses
   (the test pipeline's output, flattened): the cosine 1-NN and the linear
   probe of :mod:`halp_mmaction.evaluation.probes` (logistic regression, C by
   leave-one-group-out cross-validation over the protocol's groups on the
   training split: views for N-UCLA's cross-view split, subjects for MSR
   Action3D's cross-subject one). Features are the pooled backbone output of
   the whole sequence (the config's test pipeline).
4. With ``--transfer-data-root`` (N-UCLA only): the N-UCLA encoders probed
   on MSR Action3D's cross-subject split (pretrained on one set, evaluated
   on another: the transfer protocol in small), with the raw poses of MSR as
   its reference.

With ``--streams joint motion bone`` (N-UCLA) every method trains the
streams side by side in one ``SkeletonCMD`` (``configs/cmd/``): MoCo and
HaLP without the distillation, CMD and CMD + HaLP (``--methods cmd
cmd_halp``) with it. Every stream is probed (rows ``METHOD [STREAM]``) and so
is their ensemble (row ``METHOD``: the features averaged, and
``linear_top1_score_mean``, the streams' linear probes voting); CMD + HaLP
is paired with CMD as HaLP is with MoCo.

RESULTS.json: ``dataset``, ``seeds``, ``methods`` (per method: ``seeds``,
the mean, std (n - 1) and per-seed values of ``linear_top1`` and
``knn1_top1``, and ``pretrain_seconds``, for a reused run from the start
of its log folder to its checkpoint), ``paired_with_moco`` (each HaLP
run minus the MoCo run of the same seed, or CMD + HaLP minus CMD, which is
the same run until HaLP switches on: mean, std, standard error and per-seed
differences),
``transfer`` and ``transfer_paired_with_moco`` (the same for the transfer
rows) and a Markdown ``table``, also printed at the end. Variants of HaLP
(``--halp-variant NAME --halp-cfg-options ...``) share the MoCo runs of a
work dir with ``--reuse``, which also resumes a run that was interrupted
(a machine restart) from its last checkpoint, saved every
``--checkpoint-interval`` epochs; such a run's ``pretrain_seconds`` is null.
A pretrained method's entry has ``collapsed`` per seed (``{loss term:
epoch}`` of the collapses its final checkpoint records, see
``ContrastiveCollapseHook``), also listed under the table.
``WORK_DIR/benchmark_details.json`` has each probe's chosen C and its
cross-validation accuracy.
"""
import os

if __name__ == '__main__':
    # Single-threaded BLAS/OpenMP, set before numpy loads: on a shared
    # 2-core machine multi-threaded scikit-learn fits ran 25x slower
    # (oversubscription), not faster.
    for _var in ('OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS',
                 'MKL_NUM_THREADS'):
        os.environ.setdefault(_var, '1')

import argparse  # noqa: E402
import json  # noqa: E402
import os.path as osp  # noqa: E402
import re  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from typing import Dict, List, Optional, Sequence  # noqa: E402

import numpy as np  # noqa: E402

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
from halp_mmaction.engine.config_options import (  # noqa: E402
    ann_file_options, merged_config)
from halp_mmaction.models.utils.skeleton_streams import STREAMS  # noqa: E402
CONFIGS = osp.join(REPO_ROOT, 'configs')

# What each dataset needs: converter, pickle, protocol splits, the group the
# linear probe's cross-validation leaves out, and the pretraining configs.
DATASETS = dict(
    nw_ucla=dict(
        converter='convert_nw_ucla',
        skip_invalid=False,
        pickle='nw_ucla_3d.pkl',
        splits=('xview_train', 'xview_val'),
        group='view_of',
        configs=dict(
            halp='halp/halp_stgcn-tiny_1xb16-100e_nw-ucla-xview.py',
            moco='moco/moco_stgcn-tiny_1xb16-100e_nw-ucla-xview.py',
            cmd='cmd/cmd_stgcn-tiny_1xb16-100e_nw-ucla-xview.py',
            cmd_halp='cmd/cmd-halp_stgcn-tiny_1xb16-100e_nw-ucla-xview.py')),
    msr_action3d=dict(
        converter='convert_msr_action3d',
        # a13_s09_e02 is all zeros
        skip_invalid=True,
        pickle='msr_action3d_3d.pkl',
        splits=('xsub_train', 'xsub_val'),
        group='subject_of',
        configs=dict(
            halp='halp/halp_stgcn-tiny_1xb16-200e_msr-xsub.py',
            moco='moco/moco_stgcn-tiny_1xb16-200e_msr-xsub.py')),
)
METRICS = ('linear_top1', 'knn1_top1')
SCORE_MEAN = 'linear_top1_score_mean'
# Per pretrained run: {loss term: epoch} of the collapses its final
# checkpoint records (ContrastiveCollapseHook), {} for none.
COLLAPSED = 'collapsed'
# With --streams every method trains the streams side by side in one
# SkeletonCMD: MoCo and HaLP without the distillation (cmd_head=None), CMD
# and CMD + HaLP with it.
MULTI_STREAM = dict(moco=('cmd', ['model.cmd_head=None']),
                    halp=('cmd_halp', ['model.cmd_head=None']),
                    cmd=('cmd', []), cmd_halp=('cmd_halp', []))
# What each method is compared with, seed by seed.
CONTROLS = (('halp', 'moco'), ('cmd_halp', 'cmd'))


def log(msg: str) -> None:
    print(f'[{time.strftime("%H:%M:%S")}] {msg}', flush=True)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description='HaLP vs MoCo vs baselines on real skeleton data')
    parser.add_argument('--dataset', choices=sorted(DATASETS),
                        required=True)
    parser.add_argument('--data-root', required=True,
                        help="folder of the dataset's raw files")
    parser.add_argument('--work-dir', required=True)
    parser.add_argument('--out', required=True, help='RESULTS.json')
    parser.add_argument('--seeds', type=int, nargs='+', default=[0])
    parser.add_argument('--methods', nargs='+', choices=tuple(MULTI_STREAM),
                        default=None,
                        help='self-supervised methods to pretrain (default: '
                        'halp and moco, with --streams also cmd and '
                        'cmd_halp; the baselines always run)')
    parser.add_argument('--streams', nargs='+', choices=STREAMS,
                        help='train every method on these streams side by '
                        'side (a SkeletonCMD) and probe each stream and '
                        'their ensemble (default: the joint stream alone)')
    parser.add_argument('--epochs', type=int, default=None,
                        help="pretraining epochs (default: the configs')")
    parser.add_argument('--jobs', type=int, default=2,
                        help='pretraining runs side by side (default: 2)')
    parser.add_argument('--reuse', action='store_true',
                        help='reuse pretraining checkpoints found in the '
                        'work dir, and resume runs that were interrupted '
                        'from their last checkpoint')
    parser.add_argument('--checkpoint-interval', type=int, default=10,
                        help='pretraining saves a checkpoint every this many '
                        'epochs (the last two are kept), from which --reuse '
                        'resumes an interrupted run (default: 10)')
    parser.add_argument('--transfer-data-root',
                        help='MSR Action3D raw files: also probe the '
                        'encoders there (N-UCLA only)')
    parser.add_argument('--cfg-options', nargs='+', default=[],
                        metavar='KEY=VALUE',
                        help='override settings of every pretraining config '
                        '(and of the random encoder), as tools/train.py')
    parser.add_argument('--halp-cfg-options', nargs='+', default=[],
                        metavar='KEY=VALUE',
                        help='override settings of the HaLP config only')
    parser.add_argument('--halp-variant',
                        help='a name for a HaLP variant set by '
                        '--halp-cfg-options: its runs and rows are '
                        '"halp-NAME", so that variants and the MoCo control '
                        'can share one work dir (with --reuse)')
    return parser


# -- data -------------------------------------------------------------------
def convert(dataset: str, data_root: str, work_dir: str) -> str:
    """The dataset's pickle in the work dir (converted once)."""
    from halp_mmaction.datasets import converters
    spec = DATASETS[dataset]
    out = osp.join(work_dir, spec['pickle'])
    if osp.isfile(out):
        log(f'    reusing {out}')
        return out
    summary = getattr(converters, spec['converter'])(
        data_root, out, skip_invalid=spec['skip_invalid'], progress=False)
    log('    ' + summary.format().replace('\n', '\n    '))
    return out


# -- pretraining ------------------------------------------------------------
class PretrainRun:
    """One ``tools/train.py`` run, its log echoed every 10th epoch."""

    EPOCH = re.compile(r'Epoch\(train\)\s*\[(\d+)\]\[\s*(\d+)/(\d+)\]')

    def __init__(self, name: str, config: str, run_dir: str, seed: int,
                 options: Sequence[str], checkpoint: str,
                 resume: bool = False) -> None:
        self.name, self.checkpoint = name, checkpoint
        self.resumed, self.log_file = resume, run_dir + '.log'
        cmd = [sys.executable, osp.join(REPO_ROOT, 'tools', 'train.py'),
               config, '--work-dir', run_dir, '--seed', str(seed),
               '--no-validate', *(['--resume'] if resume else []),
               '--cfg-options', *options]
        # One thread per run: on a shared 2-core machine two single-threaded
        # runs side by side beat two-threaded ones taking turns.
        env = dict(os.environ, OMP_NUM_THREADS='1', MKL_NUM_THREADS='1',
                   PYTHONUNBUFFERED='1')
        self.start = time.time()
        self.proc = subprocess.Popen(
            cmd, cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True)
        self.pump = threading.Thread(target=self._pump)
        self.pump.start()

    def _pump(self) -> None:
        # Line-buffered, so that `tail -f RUN.log` follows the run.
        # A resumed run's log follows its first part's.
        with open(self.log_file, 'a' if self.resumed else 'w',
                  buffering=1) as f:
            for line in self.proc.stdout:
                f.write(line)
                match = self.EPOCH.search(line)
                if (match and int(match[1]) % 10 == 0
                        and match[2] == match[3]) or 'Error' in line:
                    msg = line.split(' - ')[-1].strip()[:150]
                    print(f'    [{self.name}] {msg}', flush=True)
        # The output closes when the run ends: its own duration, even when
        # wait() is called later, after another run.
        self.end = time.time()

    def wait(self) -> Optional[float]:
        """The run's seconds; None for a resumed run (its first part's
        time is not known)."""
        code = self.proc.wait()
        self.pump.join()
        if code != 0 or not osp.isfile(self.checkpoint):
            raise RuntimeError(f'{self.name} pretraining failed (exit '
                               f'{code}); see {self.log_file}')
        seconds = round(self.end - self.start, 1)
        log(f'{self.name}: pretrained in {seconds:.0f} s'
            + (' after resuming' if self.resumed else ''))
        return None if self.resumed else seconds


def reused_seconds(run_dir: str, checkpoint: str) -> Optional[float]:
    """How long a finished run took: from its start (the name of the
    timestamp folder mmengine made, local time) to its last checkpoint.
    None for a run that was resumed (several folders) or has none."""
    starts = [d for d in os.listdir(run_dir)
              if re.fullmatch(r'\d{8}_\d{6}', d)
              and osp.isdir(osp.join(run_dir, d))]
    if len(starts) != 1:
        return None
    start = time.mktime(time.strptime(starts[0], '%Y%m%d_%H%M%S'))
    return round(osp.getmtime(checkpoint) - start, 1)


def method_name(args, method: str) -> str:
    """The row and run-dir name of a method (``halp-VARIANT``; with
    ``--streams``, the streams after it: ``cmd_halp-joint-motion-bone``)."""
    name = method
    if 'halp' in method and args.halp_variant:
        name = f'{method}-{args.halp_variant}'
    if args.streams:
        name += '-' + '-'.join(args.streams)
    return name


def method_config(args, method: str):
    """The config file and ``--cfg-options`` a method pretrains with."""
    configs = DATASETS[args.dataset]['configs']
    extra = []
    if args.streams:
        method, extra = MULTI_STREAM[method]
        if method not in configs:
            raise SystemExit(f'error: no multi-stream configs for '
                             f'{args.dataset}; --streams needs nw_ucla')
        extra = extra + ['model.streams=[' + ','.join(args.streams) + ']']
    elif method not in ('halp', 'moco'):
        raise SystemExit(f'error: --methods {method} needs --streams (two '
                         'or more)')
    options = list(args.cfg_options) + extra
    if 'halp' in method:
        options += args.halp_cfg_options
    return osp.join(CONFIGS, configs[method]), options


def pretrain(args, ann_file: str) -> Dict[tuple, tuple]:
    """{(method, seed): (checkpoint, seconds or None)}, ``--jobs`` at once."""
    pending, done, running = [], {}, []
    for method in args.methods:
        config, options = method_config(args, method)
        cfg = merged_config(config, options)
        epochs = args.epochs or cfg.train_cfg.max_epochs
        for seed in args.seeds:
            run_dir = osp.join(args.work_dir,
                               f'{method_name(args, method)}_seed{seed}')
            ckpt = osp.join(run_dir, f'epoch_{epochs}.pth')
            if args.reuse and osp.isfile(ckpt):
                log(f'{method} seed {seed}: reusing {ckpt}')
                done[method, seed] = (ckpt, reused_seconds(run_dir, ckpt))
                continue
            # mmengine names a run dir's latest checkpoint in this file;
            # tools/train.py --resume continues from it exactly.
            resume = args.reuse and osp.isfile(
                osp.join(run_dir, 'last_checkpoint'))
            pending.append((method, seed, config, run_dir, ckpt, resume,
                            options + [
                                *ann_file_options(cfg, ann_file),
                                f'train_cfg.max_epochs={epochs}',
                                'default_hooks.checkpoint.interval='
                                f'{min(args.checkpoint_interval, epochs)}',
                                'default_hooks.checkpoint.max_keep_ckpts=2',
                            ] + [f'param_scheduler.{i}.T_max={epochs}'
                                 for i, s in enumerate(cfg.param_scheduler)
                                 if 'T_max' in s]))
    while pending or running:
        while pending and len(running) < max(1, args.jobs):
            method, seed, config, run_dir, ckpt, resume, options = \
                pending.pop(0)
            log(f'{method} seed {seed}: '
                + ('resuming' if resume else 'pretraining') + f' -> {run_dir}')
            running.append((method, seed, PretrainRun(
                f'{method} s{seed}', config, run_dir, seed, options, ckpt,
                resume)))
        # Whichever run ends first frees its core for the next one.
        finished = [r for r in running if r[2].proc.poll() is not None]
        if not finished:
            time.sleep(2)
            continue
        for method, seed, run in finished:
            running.remove((method, seed, run))
            done[method, seed] = (run.checkpoint, run.wait())
    return done


def collapses_of(checkpoint: str) -> Dict[str, int]:
    """{loss term: 1-based epoch} of the collapses ContrastiveCollapseHook
    recorded in a pretraining checkpoint ({} for none, or for a checkpoint
    written without the hook)."""
    import torch
    state = torch.load(checkpoint, map_location='cpu', weights_only=False)
    found = (state.get('contrastive_collapse') or {}).get('collapsed') or {}
    return {term: int(epoch) for term, (_, epoch) in found.items()}


# -- probes -----------------------------------------------------------------
def split_loader(cfg, ann_file: str, split: str):
    from halp_mmaction.evaluation import eval_dataset_cfg, sequential_loader
    dataset = eval_dataset_cfg(cfg.test_dataloader, 'query', split)
    dataset['ann_file'] = ann_file
    return sequential_loader(dataset)


def probe_splits(train, test, group_of):
    """1-NN and linear probe of ``(features, labels, names)`` splits, and
    the fitted linear probe."""
    from halp_mmaction.evaluation import (fit_linear_probe, knn_top1,
                                          probe_details)
    search = fit_linear_probe(train[0], train[1],
                              groups=[group_of(name) for name in train[2]])
    return dict(linear_top1=round(float(search.score(*test[:2]) * 100), 2),
                knn1_top1=round(knn_top1(*train[:2], *test[:2]), 2),
                details=probe_details(search, train[0])), search


def encoder_probe(cfg, checkpoint: Optional[str], ann_file: str, splits,
                  group_of, seed: int) -> Dict[str, dict]:
    """Probe the encoder of a checkpoint (None: randomly initialised with
    ``seed``) on the pickle's ``splits``.

    Returns:
        dict: row-name suffix -> probe results: ``''`` for a single-stream
        encoder; for a multi-stream one, ``' [STREAM]'`` per stream and
        ``''`` for the ensemble (the streams' features averaged, with
        ``linear_top1_score_mean``: their linear probes voting).
    """
    import torch

    from halp_mmaction.evaluation import (ENSEMBLE, extract_features,
                                          load_stream_encoders, sample_names,
                                          score_ensemble_top1, with_ensemble)
    torch.manual_seed(seed)  # the random-encoder baseline's init
    encoders = load_stream_encoders(cfg.model, checkpoint)
    parts = []
    for split in splits:
        loader = split_loader(cfg, ann_file, split)
        names = sample_names(loader.dataset)
        parts.append(with_ensemble({
            stream: (*extract_features(model, loader)[:2], names)
            for stream, model in encoders.items()}))
    train, test = parts
    if len(encoders) == 1:
        return {'': probe_splits(*train.values(), *test.values(),
                                 group_of)[0]}
    rows, searches = {}, {}
    for stream in encoders:
        rows[f' [{stream}]'], searches[stream] = probe_splits(
            train[stream], test[stream], group_of)
    rows[''] = probe_splits(train[ENSEMBLE], test[ENSEMBLE], group_of)[0]
    rows['']['linear_top1_score_mean'] = round(score_ensemble_top1(
        list(searches.values()), [test[s][0] for s in encoders],
        test[ENSEMBLE][1]), 2)
    return rows


def raw_pose_probe(cfg, ann_file: str, splits, group_of) -> dict:
    from halp_mmaction.evaluation import flattened_inputs
    parts = [flattened_inputs(split_loader(cfg, ann_file, split))
             for split in splits]
    return probe_splits(*parts, group_of)[0]


# -- results ----------------------------------------------------------------
def summarise(rows: Dict[str, List[dict]]) -> dict:
    """Per method: mean, std (n - 1) and per-seed values of each metric."""
    out = {}
    for method, runs in rows.items():
        entry = dict(seeds=[r['seed'] for r in runs
                            if r['seed'] is not None])
        keys = [*METRICS, 'pretrain_seconds']
        if all(SCORE_MEAN in r for r in runs):  # multi-stream ensembles
            keys.append(SCORE_MEAN)
        for key in keys:
            values = [r.get(key) for r in runs]
            if any(v is None for v in values):
                entry[key] = dict(per_seed=values)
                continue
            values = np.asarray(values, dtype=float)
            entry[key] = dict(
                mean=round(float(values.mean()), 2),
                std=round(float(values.std(ddof=1)), 2)
                if len(values) > 1 else 0.0,
                per_seed=[round(float(v), 2) for v in values])
        if any(COLLAPSED in r for r in runs):
            entry[COLLAPSED] = dict(per_seed=[r.get(COLLAPSED) for r in runs])
        out[method] = entry
    return out


def paired_with_moco(summary: dict,
                     controls: Optional[Dict[str, str]] = None) -> dict:
    """Each HaLP run against the MoCo run of the same seed (CMD + HaLP
    against CMD).

    With one seed, a HaLP run and its MoCo control are the same run until
    HaLP switches on (same draws, same steps), so their per-seed difference
    isolates what HaLP changed; its spread over seeds is far smaller than
    the spread of either method over seeds.

    Args:
        summary (dict): :func:`summarise`'s output.
        controls (dict, optional): row -> its control row. Defaults to every
            ``halp*`` row against ``moco``.
    """
    if controls is None:
        controls = {m: 'moco' for m in summary if m.startswith('halp')}
    out = {}
    for method, control in controls.items():
        entry, moco = summary.get(method), summary.get(control)
        if entry is None or moco is None:
            continue
        common = [s for s in entry['seeds'] if s in moco['seeds']]
        if not common:
            continue
        pairs = {}
        for key in METRICS:
            diff = np.array([
                entry[key]['per_seed'][entry['seeds'].index(s)] -
                moco[key]['per_seed'][moco['seeds'].index(s)]
                for s in common])
            std = float(diff.std(ddof=1)) if len(diff) > 1 else 0.0
            pairs[key] = dict(mean=round(float(diff.mean()), 2),
                              std=round(std, 2),
                              se=round(std / np.sqrt(len(diff)), 2),
                              per_seed=[round(float(d), 2) for d in diff])
        out[method] = dict(seeds=common, control=control, **pairs)
    return out


def markdown(summary: dict, title: str, paired: Optional[dict] = None) -> str:
    def cell(entry):
        if 'mean' not in entry:
            return '-'
        n = len(entry['per_seed'])
        return f'{entry["mean"]:.1f}' + (
            f' ± {entry["std"]:.1f}' if n > 1 else '')

    lines = [f'{title}', '',
             '| method | linear top-1 (%) | 1-NN top-1 (%) | seeds | '
             'pretraining (s) |', '| --- | --- | --- | --- | --- |']
    for method, entry in summary.items():
        seeds = ' '.join(map(str, entry['seeds'])) or '-'
        linear = cell(entry['linear_top1'])
        if SCORE_MEAN in entry:
            linear += f' (scores voting: {cell(entry[SCORE_MEAN])})'
        lines.append(f'| {method} | {linear} | '
                     f'{cell(entry["knn1_top1"])} | {seeds} | '
                     f'{cell(entry["pretrain_seconds"])} |')
    if paired:
        lines += ['', 'minus its control of the same seed (mean ± '
                  'standard error; per seed):', '',
                  '| method | linear top-1 (points) | 1-NN top-1 (points) |',
                  '| --- | --- | --- |']
        for method, entry in paired.items():
            cells = [f'{entry[k]["mean"]:+.1f} ± {entry[k]["se"]:.1f} ('
                     + ' / '.join(f'{d:+.1f}' for d in entry[k]['per_seed'])
                     + ')' for k in METRICS]
            lines.append(f'| {method} - {entry["control"]} | {cells[0]} | '
                         f'{cells[1]} |')
    collapses = [
        f'{method} seed {seed} ('
        + ', '.join(f'{t} at epoch {e}' for t, e in found.items()) + ')'
        for method, entry in summary.items()
        for seed, found in zip(entry['seeds'],
                               entry.get(COLLAPSED, {}).get('per_seed', []))
        if found]
    if collapses:
        lines += ['', 'collapsed (the contrastive loss back at chance, '
                  'ContrastiveCollapseHook): ' + '; '.join(collapses)]
    return '\n'.join(lines)


def results_document(dataset: str, seeds: Sequence[int],
                     rows: Dict[str, List[dict]],
                     controls: Dict[str, str]) -> dict:
    """The figures of RESULTS.json from the probes' rows.

    Args:
        dataset (str): the dataset the encoders were pretrained on.
        seeds (list[int]): the pretraining seeds.
        rows (dict): row name -> one dict per run (``seed``, the
            ``METRICS``, ``pretrain_seconds``, with ``SCORE_MEAN`` for an
            ensemble); names with ``' -> TARGET'`` are transfer rows.
        controls (dict): row -> the row it is paired with, seed by seed.

    Returns:
        dict: ``dataset``, ``seeds``, ``methods``, ``paired_with_moco``,
        ``transfer``, ``transfer_paired_with_moco`` and the Markdown
        ``table``.
    """
    summary = summarise({k: v for k, v in rows.items() if '->' not in k})
    transfer = summarise({k.split(' -> ')[0]: v for k, v in rows.items()
                          if '->' in k})
    paired = paired_with_moco(summary, controls)
    transfer_paired = paired_with_moco(transfer, controls)
    table = markdown(summary, f'{dataset}, seeds {list(seeds)}', paired)
    if transfer:
        table += '\n\n' + markdown(
            transfer, 'transfer: encoders pretrained on '
            f'{dataset}, probed on msr_action3d', transfer_paired)
    return dict(dataset=dataset, seeds=list(seeds), methods=summary,
                paired_with_moco=paired, transfer=transfer,
                transfer_paired_with_moco=transfer_paired, table=table)


# -- main -------------------------------------------------------------------
def main(argv=None):
    args = build_parser().parse_args(argv)
    if args.transfer_data_root and args.dataset != 'nw_ucla':
        raise SystemExit('error: --transfer-data-root needs --dataset '
                         'nw_ucla (N-UCLA encoders probed on MSR Action3D)')
    start = time.time()
    os.makedirs(args.work_dir, exist_ok=True)
    args.work_dir = osp.abspath(args.work_dir)
    import torch
    from mmengine.logging import MMLogger
    torch.set_num_threads(1)
    # The probes build models and datasets outside a Runner: keep their INFO
    # logs (every initialised tensor) off the progress output.
    MMLogger.get_instance('real_data_benchmark', log_level='WARNING')
    warnings.filterwarnings('ignore', message='pkg_resources is deprecated')
    from mmengine.registry import init_default_scope

    import halp_mmaction  # noqa: F401  (compat fixes + registration)
    from halp_mmaction.datasets import sample_names as names
    init_default_scope('mmaction')

    spec = DATASETS[args.dataset]
    if args.methods is None:
        args.methods = ['halp', 'moco'] + (
            ['cmd_halp', 'cmd'] if args.streams else [])
    if args.checkpoint_interval < 1:
        raise SystemExit('error: --checkpoint-interval must be >= 1, got '
                         f'{args.checkpoint_interval}')
    if args.streams is not None and len(set(args.streams)) < 2:
        raise SystemExit('error: --streams needs two streams or more')
    for method in args.methods:
        method_config(args, method)  # refuse a bad combination early
    log(f'1/4 converting {args.dataset}')
    ann_file = convert(args.dataset, args.data_root, args.work_dir)
    log(f'2/4 pretraining {", ".join(args.methods)}, seeds {args.seeds}, '
        f'{args.jobs} at a time')
    runs = pretrain(args, ann_file)

    log(f'3/4 probes on {" / ".join(spec["splits"])}')
    group_of = getattr(names, spec['group'])
    # The random encoders are MoCo's (every stream's, with --streams).
    moco_cfg = merged_config(*method_config(args, 'moco'))
    rows, details, controls = {}, {}, {}
    targets = [(args.dataset, ann_file, spec['splits'], group_of)]
    if args.transfer_data_root:
        msr = DATASETS['msr_action3d']
        log('    converting msr_action3d for the transfer rows')
        targets.append((
            'msr_action3d',
            convert('msr_action3d', args.transfer_data_root, args.work_dir),
            msr['splits'], getattr(names, msr['group'])))

    def record(target, method, seed, results, seconds=None, extra=None):
        for suffix, result in results.items():
            key = method + suffix
            if target != args.dataset:
                key += f' -> {target}'
            details.setdefault(key, []).append(
                dict(seed=seed, **result.pop('details')))
            rows.setdefault(key, []).append(
                dict(seed=seed, pretrain_seconds=seconds, **result,
                     **(extra or {})))
            log(f'    {key} (seed {seed}): linear '
                f'{result["linear_top1"]:.1f} %, 1-NN '
                f'{result["knn1_top1"]:.1f} %')

    for method in args.methods:
        cfg = merged_config(*method_config(args, method))
        for seed in args.seeds:
            ckpt, seconds = runs[method, seed]
            collapsed = collapses_of(ckpt)
            if collapsed:
                log(f'    warning: {method} seed {seed} collapsed: '
                    f'{collapsed} (loss term: epoch)')
            for target, pkl, splits, group in targets:
                results = encoder_probe(cfg, ckpt, pkl, splits, group, seed)
                record(target, method_name(args, method), seed, results,
                       seconds, {COLLAPSED: collapsed})
        control = dict(CONTROLS).get(method)
        if control in args.methods:
            for suffix in results:
                controls[method_name(args, method) + suffix] = \
                    method_name(args, control) + suffix
    for seed in args.seeds:
        for target, pkl, splits, group in targets:
            record(target, 'random_encoder', seed,
                   encoder_probe(moco_cfg, None, pkl, splits, group, seed))
    for target, pkl, splits, group in targets:
        record(target, 'raw_poses', None,
               {'': raw_pose_probe(moco_cfg, pkl, splits, group)})

    log('4/4 results')
    results = dict(**results_document(args.dataset, args.seeds, rows,
                                      controls),
                   configs={m: method_config(args, m) for m in args.methods},
                   streams=args.streams,
                   cfg_options=args.cfg_options,
                   halp_variant=args.halp_variant,
                   halp_cfg_options=args.halp_cfg_options,
                   seconds_in_all=round(time.time() - start, 1))
    with open(args.out, 'w') as f:
        json.dump(results, f, indent=2)
    with open(osp.join(args.work_dir, 'benchmark_details.json'), 'w') as f:
        json.dump(details, f, indent=2)
    print('\n' + results['table'] + '\n')
    log(f'wrote {args.out} ({time.time() - start:.0f} s in all)')
    return results


if __name__ == '__main__':
    main()
