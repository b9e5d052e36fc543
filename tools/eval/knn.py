"""kNN evaluation of a checkpoint's encoder on any split.

Features of the labelled bank split classify the query split (cosine, the
feature SkeletonMoCo pools), with ``knn_predict``, the function behind
``KNNMetric``. Any checkpoint with ``backbone.*`` weights works (pretraining
or classifier); the config gives the backbone and the data: a pretraining
config (its test set is a ``KNNEvalDataset`` of bank and query), or a
classifier config (bank: its training set read with the test pipeline).
A multi-stream checkpoint (``SkeletonCMD``) is evaluated per stream and as
the 3-stream ensemble (the streams' features averaged); ``--stream`` picks
one stream, and for a single-stream checkpoint says which stream its
encoder was trained on. For several streams, ``stream_agreement`` says how
much they know in common (the first ``--k``'s predictions): the share of
queries some stream gets right (the oracle, which bounds any vote), each
pair's agreement and shared errors, and the linear CKA of their features.

    python tools/eval/knn.py CONFIG CHECKPOINT [--k 1 20] [--weighted]
        [--stream joint|motion|bone|all] [--bank-split xsub_train]
        [--query-split xsub_val] [--out knn.json]
"""
import argparse
import json
import os.path as osp
import sys

import torch
from mmengine.config import Config, DictAction
from mmengine.registry import init_default_scope

import halp_mmaction  # noqa: F401  (compat fixes + registration)
from halp_mmaction.engine.checkpoint import exit_on_checkpoint_error
from halp_mmaction.evaluation import (ENSEMBLE, STREAM_CHOICES,
                                      bank_and_query, extract_features,
                                      knn_predict, linear_cka,
                                      load_stream_encoders, sequential_loader,
                                      stream_agreement, with_ensemble)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='kNN top-1 of an encoder')
    parser.add_argument('config', help='pretraining or classifier config')
    parser.add_argument('checkpoint', help='checkpoint with backbone.* '
                        'weights; "none" for a randomly initialised encoder')
    parser.add_argument('--k', type=int, nargs='+', default=[1],
                        help='numbers of neighbours (default: 1)')
    parser.add_argument('--weighted', action='store_true',
                        help='weight votes by exp(cos / temperature)')
    parser.add_argument('--temperature', type=float, default=0.07)
    parser.add_argument('--stream', choices=STREAM_CHOICES,
                        help='stream to evaluate (default: the config\'s; '
                        'all streams and their ensemble for a multi-stream '
                        'checkpoint)')
    parser.add_argument('--bank-split', help='split of the labelled bank')
    parser.add_argument('--query-split', help='split to classify')
    parser.add_argument('--batch-size', type=int, default=64)
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
    checkpoint = None if args.checkpoint == 'none' else args.checkpoint
    encoders = load_stream_encoders(cfg.model, checkpoint, args.stream)
    feats = {}
    for part, dataset in zip(('bank', 'query'),
                             bank_and_query(cfg, args.bank_split,
                                            args.query_split)):
        loader = sequential_loader(dataset, args.batch_size)
        print(f'{part}: {dataset.get("split")} ({len(loader.dataset)} '
              'samples)')
        feats[part] = with_ensemble({
            stream: extract_features(
                model, loader, progress=sys.stdout.isatty())[:2]
            for stream, model in encoders.items()})
    results = dict(config=args.config, checkpoint=args.checkpoint,
                   weighted=args.weighted, streams=list(encoders))
    first_k = {}  # stream -> the first --k's predictions
    for stream in feats['query']:
        bank, bank_labels = map(torch.from_numpy, feats['bank'][stream])
        query, query_labels = map(torch.from_numpy, feats['query'][stream])
        row = dict(num_bank=len(bank), num_query=len(query))
        for k in args.k:
            pred = knn_predict(bank, bank_labels, query, k, args.weighted,
                               args.temperature)
            first_k.setdefault(stream, pred.numpy())
            top1 = (pred == query_labels).float().mean().item() * 100
            row[f'knn{k}_top1'] = round(top1, 2)
            print(f'{stream}: {"weighted " if args.weighted else ""}{k}-NN '
                  f'top-1: {top1:.2f} %')
        # The last row is the headline: the ensemble or the one stream.
        if len(feats['query']) > 1:
            results.setdefault('per_stream', {})[stream] = row
    results.update(row)
    if len(encoders) > 1:
        results['stream_agreement'] = agreement(
            {s: p for s, p in first_k.items() if s != ENSEMBLE},
            feats['query'], args.k[0])
    if args.out:
        with open(args.out, 'w') as f:
            json.dump(results, f, indent=2)
        print(f'wrote {osp.abspath(args.out)}')
    return results


def agreement(predictions: dict, query: dict, k: int) -> dict:
    """:func:`stream_agreement` of the streams' kNN predictions, with the
    linear CKA of each pair's query features, printed."""
    labels = next(iter(query.values()))[1]
    out = stream_agreement(predictions, labels)
    for pair, row in out['pairs'].items():
        a, b = pair.split('/')
        row['linear_cka'] = round(linear_cka(query[a][0], query[b][0]), 4)
        print(f'{pair}: {k}-NN predictions agree on {row["agree"]:.1f} %, '
              f'both wrong on {row["both_wrong"]:.1f} %; linear CKA '
              f'{row["linear_cka"]:.3f}')
    print(f'some stream right ({k}-NN): {out["oracle_top1"]:.2f} % (the '
          'most a vote among the streams can reach)')
    return out


if __name__ == '__main__':
    exit_on_checkpoint_error(main)
