"""From a converted pickle to the paper's table, in one command.

    python tools/reproduce.py --encoder bigru --dataset ntu60 --split xsub \\
        --data data/skeleton/ntu60_3d.pkl \\
        --work-dir work_dirs/reproduce_ntu60_xsub \\
        [--transfer-data data/skeleton/pku_mmd2_3d.pkl]

The official schedule, step by step, each through the project's own tools
and configs (``tools/train.py``, ``tools/eval/*``):

1. ``stage1``: MoCo (``configs/moco/moco_ENC_1xb64-200e_SPLIT.py``; 500
   epochs on PKU-MMD II);
2. ``stage2``: HaLP resuming stage 1 as the official code does
   (``configs/halp/halp_ENC_moco-200e-resume_1xb64-450e_SPLIT.py``: epoch
   count, lr schedule and optimiser state kept);
3. ``knn``: 1-NN of the stage-2 encoder (``tools/eval/knn.py``);
4. ``linear``: the official linear evaluation, best and last top-1
   (``tools/eval/train_classifier.py``, ``configs/eval/linear/``);
5. ``semi``: fine-tuning on 1, 5, 10 and 20 % of the labels, over
   ``--semi-seeds`` (``tools/eval/semi_supervised.py``,
   ``configs/eval/semi/``);
6. ``transfer`` (NTU only, with ``--transfer-data``): the encoder's linear
   probe on PKU-MMD II (``configs/eval/transfer/``).

Every step writes into its own folder of ``--work-dir`` and is skipped when
its result is there, so a crashed or interrupted chain picks up where it
stopped when run again; an interrupted training step continues from its
last checkpoint (``--resume``). A progress line per step, and at the end a
Markdown table of our figures beside the published ones (``table.md`` and
``results.json`` in the work dir). ``--steps`` runs a subset;
``--pretrain-options`` / ``--eval-options`` change the pretraining or the
classifier configs (e.g. a small encoder for a dry run), and ``--epochs M
E`` / ``--eval-epochs N`` shorten the schedules keeping their shape (the lr
steps move with them).

On a GPU, the BiGRU recipe needs about 2 GPU-days on NTU-60 (450 epochs of
40,091 sequences) before the evaluations; see the README.
"""
import argparse
import json
import os
import os.path as osp
import subprocess
import sys
import time
from typing import List, Optional

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
STEPS = ('stage1', 'stage2', 'knn', 'linear', 'semi', 'transfer')
SPLITS = dict(ntu60=('xsub', 'xview'), ntu120=('xsub', 'xset'),
              pku_mmd2=('xsub', ))
SEMI_PERCENTS = (1, 5, 10, 20)
# Linear top-1 (joint stream, BiGRU) and semi-supervised top-1 of HaLP, as
# quoted by later papers (the paper's own table could not be read here).
PAPER = {
    ('bigru', 'ntu60', 'xsub'): dict(linear=79.7, semi1=46.6, semi10=72.6),
    ('bigru', 'ntu60', 'xview'): dict(linear=86.8, semi1=48.7, semi10=77.1),
    ('bigru', 'ntu120', 'xsub'): dict(linear=71.1),
    ('bigru', 'ntu120', 'xset'): dict(linear=72.2),
    ('bigru', 'pku_mmd2', 'xsub'): dict(linear=43.5),
}


def log(msg: str) -> None:
    print(f'[{time.strftime("%H:%M:%S")}] {msg}', flush=True)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--encoder', choices=('bigru', 'stgcn'),
                        default='bigru')
    parser.add_argument('--dataset', choices=sorted(SPLITS), required=True)
    parser.add_argument('--split', required=True,
                        help='xsub, xview (NTU-60) or xset (NTU-120)')
    parser.add_argument('--data', required=True,
                        help="the dataset's converted pickle")
    parser.add_argument('--transfer-data',
                        help='PKU-MMD II pickle, for the transfer step')
    parser.add_argument('--work-dir', required=True)
    parser.add_argument('--steps', nargs='+', choices=STEPS,
                        default=list(STEPS))
    parser.add_argument('--semi-seeds', type=int, nargs='+', default=[0])
    parser.add_argument('--semi-uniform', action='store_true',
                        help='draw the labelled subsets uniformly, not '
                        'class-balanced (as the official feeder)')
    parser.add_argument('--seed', type=int, default=0,
                        help='seed of the pretraining and the linear runs')
    parser.add_argument('--epochs', type=int, nargs=2, metavar=('M', 'E'),
                        help='stage 1 ends at epoch M, stage 2 at E '
                        '(default: 200 450; PKU-MMD II 500 1000)')
    parser.add_argument('--eval-epochs', type=int,
                        help='epochs of the linear and semi runs (default: '
                        '80)')
    parser.add_argument('--pretrain-options', nargs='+', default=[],
                        metavar='KEY=VALUE')
    parser.add_argument('--eval-options', nargs='+', default=[],
                        metavar='KEY=VALUE')
    return parser


class Chain:
    """The configs, folders and commands of one reproduction."""

    def __init__(self, args) -> None:
        if args.split not in SPLITS[args.dataset]:
            raise SystemExit(f'error: {args.dataset} has splits '
                             f'{SPLITS[args.dataset]}, not {args.split}')
        self.args = args
        self.work_dir = osp.abspath(args.work_dir)
        pku = args.dataset == 'pku_mmd2'
        self.official = (500, 1000, 800) if pku else (200, 450, 350)
        self.epochs = tuple(args.epochs or self.official[:2])
        tag = f'{args.dataset.replace("_", "-")}-{args.split}'
        m, e = self.official[:2]
        enc = args.encoder
        self.configs = dict(
            stage1=f'configs/moco/moco_{enc}_1xb64-{m}e_{tag}.py',
            stage2=f'configs/halp/halp_{enc}_moco-{m}e-resume_1xb64-{e}e_'
            f'{tag}.py',
            linear=f'configs/eval/linear/linear_{enc}_1xb64-80e_{tag}.py',
            semi=[f'configs/eval/semi/semi_{enc}_1xb64-80e_{tag}-{p}p.py'
                  for p in SEMI_PERCENTS],
            transfer=f'configs/eval/transfer/linear_{enc}_1xb64-80e_'
            f'{args.dataset.replace("_", "")}-to-pku-mmd2-xsub.py')

    def folder(self, step: str) -> str:
        return osp.join(self.work_dir, step)

    def checkpoint(self, stage: str) -> str:
        epochs = self.epochs[0 if stage == 'stage1' else 1]
        return osp.join(self.folder(stage), f'epoch_{epochs}.pth')

    # -- config options ----------------------------------------------------
    def data_options(self, config: str, data: str) -> List[str]:
        from halp_mmaction.engine.config_options import (ann_file_options,
                                                         merged_config)
        return ann_file_options(merged_config(osp.join(REPO_ROOT, config)),
                                data)

    def schedule_options(self, stage: str) -> List[str]:
        """Shortened schedules keep their shape: the HaLP start and the lr
        step move with the epochs."""
        m, e = self.epochs
        om, oe, step = self.official
        new_step = max(1, round(step * e / oe))
        options = [f'train_cfg.max_epochs={m if stage == "stage1" else e}',
                   f'param_scheduler.0.end={e}',
                   f'param_scheduler.0.milestones=[{new_step}]',
                   f'default_hooks.checkpoint.interval='
                   f'{min(10, m, e - m)}']
        if stage == 'stage2':
            options += [f'load_from={self.checkpoint("stage1")}',
                        # the schedule hook is the last custom hook
                        f'custom_hooks.{self._schedule_hook_index()}.'
                        f'start_epoch={m}']
        return options

    def _schedule_hook_index(self) -> int:
        from halp_mmaction.engine.config_options import merged_config
        cfg = merged_config(osp.join(REPO_ROOT, self.configs['stage2']))
        return [h['type'] for h in cfg.custom_hooks].index(
            'HaLPScheduleHook')

    def eval_schedule_options(self) -> List[str]:
        n = self.args.eval_epochs
        if n is None:
            return []
        return [f'train_cfg.max_epochs={n}',
                f'param_scheduler.0.milestones=[{max(1, n * 5 // 8)},'
                f'{max(2, n * 7 // 8)}]',
                f'train_cfg.val_interval={max(1, min(5, n // 2))}']

    # -- running -----------------------------------------------------------
    def run(self, cmd: List[str], log_name: str) -> None:
        env = dict(os.environ, PYTHONUNBUFFERED='1')
        log_file = osp.join(self.work_dir, f'{log_name}.log')
        with open(log_file, 'a') as f:
            code = subprocess.call(cmd, cwd=REPO_ROOT, env=env, stdout=f,
                                   stderr=subprocess.STDOUT)
        if code != 0:
            with open(log_file) as f:
                tail = f.read().strip().splitlines()[-1:]
            raise SystemExit(f'error: step {log_name} failed (exit {code}): '
                             f'{tail[0] if tail else ""}; see {log_file}')

    def tool(self, name: str) -> List[str]:
        return [sys.executable, osp.join(REPO_ROOT, 'tools', name)]

    def pretrain(self, stage: str) -> None:
        folder = self.folder(stage)
        cmd = self.tool('train.py') + [
            self.configs[stage], '--work-dir', folder, '--seed',
            str(self.args.seed)]
        if osp.isfile(osp.join(folder, 'last_checkpoint')):
            cmd.append('--resume')  # an interrupted run: continue it
        cmd += ['--cfg-options',
                *self.data_options(self.configs[stage], self.args.data),
                *self.schedule_options(stage), *self.args.pretrain_options]
        self.run(cmd, stage)

    def classifier(self, config: str, data_options: List[str], folder: str,
                   tool: str = 'eval/train_classifier.py',
                   extra: Optional[List[str]] = None) -> None:
        cmd = self.tool(tool) + [config, self.checkpoint('stage2'),
                                 '--work-dir', folder, *(extra or [])]
        cmd += ['--cfg-options', *data_options,
                *self.eval_schedule_options(), *self.args.eval_options]
        self.run(cmd, osp.basename(folder))


def percent(accuracy: Optional[float]) -> Optional[float]:
    """MMAction2's AccMetric gives fractions; the table shows percent."""
    return None if accuracy is None else 100 * accuracy


def read(path: str) -> Optional[dict]:
    if not osp.isfile(path):
        return None
    with open(path) as f:
        return json.load(f)


def table(chain: Chain, results: dict) -> str:
    args = chain.args
    paper = PAPER.get((args.encoder, args.dataset, args.split), {})
    rows = [('kNN (1-NN) top-1', results.get('knn'), None),
            ('linear top-1, best (as the official script)',
             results.get('linear_best'), paper.get('linear')),
            ('linear top-1, last epoch', results.get('linear_last'), None)]
    rows += [(f'semi-supervised {p} % top-1', results.get(f'semi{p}'),
              paper.get(f'semi{p}')) for p in SEMI_PERCENTS]
    rows.append(('transfer to PKU-MMD II, linear top-1 (best)',
                 results.get('transfer'), None))

    def cell(v):
        return '-' if v is None else f'{v:.1f}'

    lines = [f'HaLP, {args.encoder}, {args.dataset} {args.split} (stages '
             f'{chain.epochs[0]} + {chain.epochs[1] - chain.epochs[0]} '
             'epochs)', '', '| figure | ours | paper |', '| --- | --- | --- |']
    lines += [f'| {name} | {cell(ours)} | {cell(theirs)} |'
              for name, ours, theirs in rows]
    lines += ['', 'Paper figures as quoted by later papers (unverified).']
    return '\n'.join(lines)


def main(argv=None):
    args = build_parser().parse_args(argv)
    chain = Chain(args)
    os.makedirs(chain.work_dir, exist_ok=True)
    results = {}
    total = len(args.steps)
    for i, step in enumerate(args.steps, 1):
        head = f'{i}/{total} {step}'
        if step in ('stage1', 'stage2'):
            if osp.isfile(chain.checkpoint(step)):
                log(f'{head}: done already ({chain.checkpoint(step)})')
                continue
            log(f'{head}: {chain.configs[step]} -> {chain.folder(step)}')
            chain.pretrain(step)
        elif step == 'knn':
            out = osp.join(chain.folder('knn'), 'knn.json')
            if read(out) is None:
                log(f'{head}: 1-NN of {chain.checkpoint("stage2")}')
                os.makedirs(chain.folder('knn'), exist_ok=True)
                chain.run(chain.tool('eval/knn.py') + [
                    chain.configs['stage2'], chain.checkpoint('stage2'),
                    '--out', out, '--cfg-options',
                    *chain.data_options(chain.configs['stage2'], args.data),
                    *args.pretrain_options], 'knn')
            else:
                log(f'{head}: done already ({out})')
            results['knn'] = read(out)['knn1_top1']
        elif step == 'linear':
            out = osp.join(chain.folder('linear'), 'test_metrics.json')
            if read(out) is None:
                log(f'{head}: {chain.configs["linear"]}')
                chain.classifier(chain.configs['linear'], chain.data_options(
                    chain.configs['linear'], args.data),
                    chain.folder('linear'),
                    extra=['--seed', str(args.seed)])
            else:
                log(f'{head}: done already ({out})')
            metrics = read(out)
            results['linear_best'] = percent(metrics.get('best_top1'))
            results['linear_last'] = percent(metrics.get('last_top1'))
        elif step == 'semi':
            for p, config in zip(SEMI_PERCENTS, chain.configs['semi']):
                folder = osp.join(chain.work_dir, f'semi_{p}p')
                out = osp.join(folder, 'semi_supervised.json')
                if read(out) is None:
                    log(f'{head}: {p} % labels, seeds {args.semi_seeds}')
                    chain.classifier(
                        config, chain.data_options(config, args.data),
                        folder, tool='eval/semi_supervised.py',
                        extra=['--seeds', *map(str, args.semi_seeds)] +
                        (['--uniform'] if args.semi_uniform else []))
                else:
                    log(f'{head} {p} %: done already ({out})')
                results[f'semi{p}'] = percent(read(out)['mean'])
        elif step == 'transfer':
            if args.dataset == 'pku_mmd2' or not args.transfer_data:
                log(f'{head}: skipped (NTU with --transfer-data only)')
                continue
            out = osp.join(chain.folder('transfer'), 'test_metrics.json')
            if read(out) is None:
                log(f'{head}: {chain.configs["transfer"]}')
                chain.classifier(
                    chain.configs['transfer'], chain.data_options(
                        chain.configs['transfer'], args.transfer_data),
                    chain.folder('transfer'),
                    extra=['--seed', str(args.seed)])
            else:
                log(f'{head}: done already ({out})')
            results['transfer'] = percent(read(out).get('best_top1'))
    text = table(chain, results)
    with open(osp.join(chain.work_dir, 'table.md'), 'w') as f:
        f.write(text + '\n')
    with open(osp.join(chain.work_dir, 'results.json'), 'w') as f:
        json.dump(dict(encoder=args.encoder, dataset=args.dataset,
                       split=args.split, epochs=chain.epochs,
                       results=results, configs=chain.configs), f, indent=2)
    print('\n' + text)
    return results


if __name__ == '__main__':
    main()
