"""MSR Action3D benchmark, one seed: HaLP against MoCo and against baselines
that do not learn, on real recordings, in one go on a CPU.

    python tools/benchmarks/msr_action3d.py --data-root ../shared/data/msr_action3d \\
        --work-dir work_dirs/msr_benchmark --out msr_results.json [--seed 0]

The MSR entry point of ``tools/benchmarks/real_data.py --dataset
msr_action3d`` (see there for the steps: conversion, HaLP and MoCo
pretraining side by side, 1-NN and linear probes of both, of a random
encoder and of the raw poses). RESULTS.json keeps this tool's schema: a
list, one object per method, with ``method``, ``linear_top1`` and
``knn1_top1`` (percent) and ``pretrain_seconds`` (null without a
pretraining run); real_data.py's full results go to
``WORK_DIR/real_data_results.json``.
"""
import argparse
import json
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
import real_data  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='HaLP vs MoCo vs baselines on MSR Action3D')
    parser.add_argument('--data-root', required=True,
                        help='folder of the *_skeleton3D.txt files')
    parser.add_argument('--work-dir', required=True)
    parser.add_argument('--out', required=True, help='RESULTS.json')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--epochs', type=int, default=None)
    parser.add_argument('--reuse', action='store_true')
    parser.add_argument('--methods', nargs='+', choices=('halp', 'moco'),
                        default=['halp', 'moco'])
    parser.add_argument('--cfg-options', nargs='+', default=[],
                        metavar='KEY=VALUE')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    full = osp.join(args.work_dir, 'real_data_results.json')
    forwarded = ['--dataset', 'msr_action3d', '--data-root', args.data_root,
                 '--work-dir', args.work_dir, '--out', full,
                 '--seeds', str(args.seed), '--methods', *args.methods]
    if args.epochs is not None:
        forwarded += ['--epochs', str(args.epochs)]
    if args.reuse:
        forwarded.append('--reuse')
    if args.cfg_options:
        forwarded += ['--cfg-options', *args.cfg_options]
    results = real_data.main(forwarded)
    rows = [dict(method=method,
                 linear_top1=entry['linear_top1']['per_seed'][0],
                 knn1_top1=entry['knn1_top1']['per_seed'][0],
                 pretrain_seconds=entry['pretrain_seconds']['per_seed'][0])
            for method, entry in results['methods'].items()]
    with open(args.out, 'w') as f:
        json.dump(rows, f, indent=2)
    return rows


if __name__ == '__main__':
    main()
