"""Linear probe of a checkpoint's frozen encoder in seconds: a logistic
regression on its pooled features (the probe of tools/benchmarks/
real_data.py; tools/eval/train_classifier.py trains the official SGD linear
layer instead).

    python tools/eval/linear_probe.py CONFIG CHECKPOINT [--group view]
        [--bank-split xview_train] [--query-split xview_val] [--out lp.json]

Features of the labelled training split (the bank) fit the regression on
standardised features, its C chosen by leave-one-group-out cross-validation
on the training split (``--group subject`` or ``view``, the protocol's unit;
``none``: 5-fold), and the query split is scored. The config gives the
backbone and the data (a pretraining config, whose test set is a
``KNNEvalDataset``, or a classifier config); ``none`` as the checkpoint
probes a randomly initialised encoder.
"""
import argparse
import json
import os.path as osp

import torch
from mmengine.config import Config, DictAction
from mmengine.registry import init_default_scope

import halp_mmaction  # noqa: F401  (compat fixes + registration)
from halp_mmaction.datasets import subject_of, view_of
from halp_mmaction.engine.checkpoint import exit_on_checkpoint_error
from halp_mmaction.evaluation import (LOGREG_CS, bank_and_query,
                                      extract_features, linear_probe,
                                      load_encoder, sample_names,
                                      sequential_loader)

GROUPS = dict(subject=subject_of, view=view_of, none=None)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config', help='pretraining or classifier config')
    parser.add_argument('checkpoint', help='checkpoint with backbone.* '
                        'weights; "none" for a randomly initialised encoder')
    parser.add_argument('--group', choices=sorted(GROUPS), default='subject',
                        help='what cross-validation leaves out (default: '
                        'subject)')
    parser.add_argument('--cs', type=float, nargs='+', default=LOGREG_CS,
                        help='candidate inverse regularisations')
    parser.add_argument('--bank-split', help='split the regression fits')
    parser.add_argument('--query-split', help='split it is scored on')
    parser.add_argument('--seed', type=int, default=0,
                        help='init of a random encoder ("none")')
    parser.add_argument('--out', help='write the results to this JSON file')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction,
        help='override config settings, xxx=yyy format')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    cfg = Config.fromfile(args.config)
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    torch.manual_seed(args.seed)
    checkpoint = None if args.checkpoint == 'none' else args.checkpoint
    model = load_encoder(cfg.model, checkpoint)
    parts = []
    for dataset in bank_and_query(cfg, args.bank_split, args.query_split):
        loader = sequential_loader(dataset)
        feats, labels, _ = extract_features(model, loader)
        parts.append((feats, labels, sample_names(loader.dataset)))
    (train_x, train_y, names), (test_x, test_y, _) = parts
    group_of = GROUPS[args.group]
    top1, details = linear_probe(
        train_x, train_y, test_x, test_y,
        groups=None if group_of is None else [group_of(n) for n in names],
        cs=args.cs)
    results = dict(config=args.config, checkpoint=args.checkpoint,
                   linear_top1=round(top1, 2), num_bank=len(train_y),
                   num_query=len(test_y), group=args.group, **details)
    print(f'linear probe top-1: {top1:.2f} % (C {details["logreg_C"]:g}, '
          f'cross-validation {details["logreg_cv_top1"]:.2f} %)')
    if args.out:
        with open(args.out, 'w') as f:
            json.dump(results, f, indent=2)
        print(f'wrote {osp.abspath(args.out)}')
    return results


if __name__ == '__main__':
    exit_on_checkpoint_error(main)
