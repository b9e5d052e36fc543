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
probes a randomly initialised encoder. A multi-stream checkpoint
(``SkeletonCMD``) is probed per stream and as the 3-stream ensemble, two
ways: one regression on the streams' averaged features (``linear_top1``, the
official ``--test_modality all``) and the streams' regressions voting with
their averaged probabilities (``linear_top1_score_mean``); ``--stream``
picks one stream.
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
from halp_mmaction.evaluation import (ENSEMBLE, LOGREG_CS, STREAM_CHOICES,
                                      bank_and_query, extract_features,
                                      fit_linear_probe, load_stream_encoders,
                                      probe_details, sample_names,
                                      score_ensemble_top1, sequential_loader,
                                      with_ensemble)

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
    parser.add_argument('--stream', choices=STREAM_CHOICES,
                        help='stream to probe (default: the config\'s; all '
                        'streams and their ensemble for a multi-stream '
                        'checkpoint)')
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
    encoders = load_stream_encoders(cfg.model, checkpoint, args.stream)
    parts = []
    for dataset in bank_and_query(cfg, args.bank_split, args.query_split):
        loader = sequential_loader(dataset)
        names = sample_names(loader.dataset)
        parts.append(with_ensemble({
            stream: (*extract_features(model, loader)[:2], names)
            for stream, model in encoders.items()}))
    train, test = parts
    group_of = GROUPS[args.group]
    groups = None if group_of is None else [
        group_of(n) for n in next(iter(train.values()))[2]]
    results = dict(config=args.config, checkpoint=args.checkpoint,
                   group=args.group, streams=list(encoders))
    searches = {}
    for stream in test:
        train_x, train_y, _ = train[stream]
        test_x, test_y, _ = test[stream]
        searches[stream] = fit_linear_probe(train_x, train_y, groups,
                                            args.cs)
        top1 = float(searches[stream].score(test_x, test_y) * 100)
        row = dict(linear_top1=round(top1, 2), num_bank=len(train_y),
                   num_query=len(test_y),
                   **probe_details(searches[stream], train_x))
        print(f'{stream}: linear probe top-1: {top1:.2f} % (C '
              f'{row["logreg_C"]:g}, cross-validation '
              f'{row["logreg_cv_top1"]:.2f} %)')
        if len(test) > 1:
            results.setdefault('per_stream', {})[stream] = row
    results.update(row)
    if ENSEMBLE in test:
        streams = list(encoders)
        top1 = score_ensemble_top1([searches[s] for s in streams],
                                   [test[s][0] for s in streams],
                                   test[ENSEMBLE][1])
        results['linear_top1_score_mean'] = round(top1, 2)
        print(f'{ENSEMBLE}: the streams\' regressions voting: {top1:.2f} %')
    if args.out:
        with open(args.out, 'w') as f:
            json.dump(results, f, indent=2)
        print(f'wrote {osp.abspath(args.out)}')
    return results


if __name__ == '__main__':
    exit_on_checkpoint_error(main)
