"""Save the pooled backbone features of a split, with their labels, as .npy.

    python tools/analysis/extract_features.py CONFIG CHECKPOINT --out feats.npy
        [--split xsub_val] [--part query|bank] [--dataloader test|val]

writes ``feats.npy`` (N, C) float32 and ``feats_labels.npy`` (N, ) int64.
The data is the config's test (or val) set; for a pretraining config, whose
test set is a ``KNNEvalDataset``, its query split by default. ``--split``
takes another split of the same file. The checkpoint may be a pretraining
or a classifier one (only ``backbone.*`` is used); "none" gives a randomly
initialised encoder. Of a multi-stream checkpoint (``SkeletonCMD``),
``--stream`` picks one stream's features, and ``all`` (its default) the
streams' features averaged. Plot them with ``tools/analysis/tsne.py``.
"""
import argparse
import os.path as osp
import sys

import numpy as np
from mmengine.config import Config, DictAction
from mmengine.registry import init_default_scope
from mmengine.utils import mkdir_or_exist

import halp_mmaction  # noqa: F401  (compat fixes + registration)
from halp_mmaction.engine.checkpoint import exit_on_checkpoint_error
from halp_mmaction.evaluation import (ENSEMBLE, STREAM_CHOICES,
                                      eval_dataset_cfg, extract_features,
                                      load_stream_encoders, sequential_loader,
                                      with_ensemble)


def labels_path(features_path: str) -> str:
    """``feats.npy`` -> ``feats_labels.npy``."""
    root, _ = osp.splitext(features_path)
    return root + '_labels.npy'


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Extract encoder features')
    parser.add_argument('config')
    parser.add_argument('checkpoint',
                        help='checkpoint with backbone.* weights, or "none"')
    parser.add_argument('--out', required=True, help='features .npy file')
    parser.add_argument('--split', help='split to read instead')
    parser.add_argument('--part', default='query', choices=['query', 'bank'],
                        help='part of a KNNEvalDataset (default: query)')
    parser.add_argument('--dataloader', default='test', choices=['test', 'val'])
    parser.add_argument('--stream', choices=STREAM_CHOICES,
                        help="stream to extract (default: the config's; "
                        'all, the streams averaged, for a multi-stream '
                        'checkpoint)')
    parser.add_argument('--batch-size', type=int, default=64)
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction,
        help='override config settings, xxx=yyy format')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if not args.out.endswith('.npy'):
        raise ValueError(f'--out must end with .npy, got {args.out}')
    mkdir_or_exist(osp.dirname(osp.abspath(args.out)))
    cfg = Config.fromfile(args.config)
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    encoders = load_stream_encoders(
        cfg.model, None if args.checkpoint == 'none' else args.checkpoint,
        args.stream)
    dataset = eval_dataset_cfg(cfg[f'{args.dataloader}_dataloader'],
                               args.part, args.split)
    loader = sequential_loader(dataset, args.batch_size)
    per_stream = with_ensemble({
        s: extract_features(m, loader, progress=sys.stdout.isatty())[:2]
        for s, m in encoders.items()})
    feats, labels = per_stream.get(ENSEMBLE, next(iter(per_stream.values())))
    np.save(args.out, feats)
    np.save(labels_path(args.out), labels)
    print(f'{feats.shape[0]} x {feats.shape[1]} features of split '
          f'{dataset.get("split")} -> {args.out}, labels -> '
          f'{labels_path(args.out)}')
    return feats, labels


if __name__ == '__main__':
    exit_on_checkpoint_error(main)
