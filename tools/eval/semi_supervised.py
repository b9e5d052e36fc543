"""Semi-supervised evaluation over several seeded labelled subsets.

    python tools/eval/semi_supervised.py CONFIG PRETRAIN_CHECKPOINT
        [--ratio 0.01] [--seeds 0 1 2] [--uniform] [--work-dir DIR]

For each seed, the classifier of CONFIG (a configs/eval/semi/ config: its
training set is a ``LabelledSubsetDataset``) is trained from the pretrained
encoder on the subset drawn with that seed (the training run is seeded with
it too) and tested on the full test set. Prints and writes
``WORK_DIR/semi_supervised.json``: every seed's top-1 and their mean and
standard deviation (population std over the seeds).
"""
import argparse
import copy
import json
import os.path as osp

import numpy as np
from mmengine.config import Config, DictAction

from train_classifier import build_cfg, train_and_test

from halp_mmaction.engine.checkpoint import exit_on_checkpoint_error
from halp_mmaction.models.utils.skeleton_streams import STREAMS


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Semi-supervised evaluation, repeated over seeds')
    parser.add_argument('config', help='a configs/eval/semi/ config')
    parser.add_argument('checkpoint', help='pretraining checkpoint or "none"')
    parser.add_argument('--ratio', type=float,
                        help="labelled share (default: the config's)")
    parser.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    parser.add_argument('--uniform', action='store_true',
                        help='draw the subset uniformly, not class-balanced')
    parser.add_argument('--metric', default='acc/top1')
    parser.add_argument('--stream', choices=STREAMS,
                        help='stream to train on (see train_classifier.py)')
    parser.add_argument('--work-dir', help='default: work_dirs/CONFIG_NAME')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction,
        help='override config settings, xxx=yyy format')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    base = Config.fromfile(args.config)
    if base.train_dataloader.dataset.get('type') != 'LabelledSubsetDataset':
        raise ValueError(f'{args.config}: the training set must be a '
                         'LabelledSubsetDataset (see configs/eval/semi/)')
    work_dir = args.work_dir or osp.join(
        'work_dirs', osp.splitext(osp.basename(args.config))[0])
    subset = base.train_dataloader.dataset
    if args.ratio is not None:
        subset.ratio = args.ratio
    subset.balanced = not args.uniform
    runs = []
    for seed in args.seeds:
        cfg = copy.deepcopy(base)
        cfg.train_dataloader.dataset.seed = seed
        cfg = build_cfg(cfg, args.checkpoint, osp.join(work_dir,
                                                       f'seed_{seed}'),
                        seed, args.cfg_options, stream=args.stream)
        metrics = train_and_test(cfg)
        runs.append(dict(seed=seed, **metrics))
        print(f'seed {seed}: {args.metric} {metrics[args.metric]:.2f}')
    values = np.array([run[args.metric] for run in runs])
    summary = dict(config=args.config, checkpoint=args.checkpoint,
                   ratio=subset.ratio, balanced=subset.balanced,
                   metric=args.metric, mean=float(values.mean()),
                   std=float(values.std()), runs=runs)
    with open(osp.join(work_dir, 'semi_supervised.json'), 'w') as f:
        json.dump(summary, f, indent=2)
    print(f'{subset.ratio:.0%} labelled, {len(values)} seeds: '
          f'{args.metric} {values.mean():.2f} +- {values.std():.2f}')
    return summary


if __name__ == '__main__':
    exit_on_checkpoint_error(main)
