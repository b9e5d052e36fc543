"""Train and test a classifier on a pretrained encoder: the linear,
fine-tuning, semi-supervised and transfer protocols (configs/eval/).

    python tools/eval/train_classifier.py CONFIG PRETRAIN_CHECKPOINT
        [--work-dir DIR] [--seed 0] [--cfg-options k=v ...]
    python tools/eval/train_classifier.py CONFIG none   # random encoder
    python tools/eval/train_classifier.py CONFIG CMD_CHECKPOINT --stream bone

The pretraining checkpoint's query encoder (``backbone.*``) becomes the
classifier's backbone through mmengine's
``init_cfg=dict(type='Pretrained', checkpoint=CKPT, prefix='backbone.')``,
after a strict check that every backbone key is in the checkpoint and no
other ``backbone.*`` key is (mmengine itself would only warn). The model is
trained with the config's schedule, then the last epoch's model is tested
on the config's test set; the metrics are printed and written to
``WORK_DIR/test_metrics.json``, with the best top-1 of the validations
every 5 epochs and its epoch (``best_top1``, ``best_epoch``: what the
official script and the paper report) beside the last one (``last_top1``).
"""
import argparse
import json
import os.path as osp

from mmengine.config import Config, DictAction
from mmengine.registry import init_default_scope
from mmengine.runner import Runner

import halp_mmaction  # noqa: F401  (compat fixes + registration)
from halp_mmaction.engine.checkpoint import exit_on_checkpoint_error
from halp_mmaction.engine import BestMetricHook
from halp_mmaction.evaluation import (configured_stream, encoder_prefixes,
                                      set_pretrained_backbone,
                                      stream_model_cfg)
from halp_mmaction.models.utils.skeleton_streams import STREAMS


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Train and test a classifier on a pretrained encoder')
    parser.add_argument('config', help='a configs/eval/ classifier config')
    parser.add_argument('checkpoint', help='pretraining checkpoint, or '
                        '"none" for a randomly initialised encoder')
    parser.add_argument('--stream', choices=STREAMS,
                        help='the stream to train on: a multi-stream '
                        "checkpoint's encoder of it, and the data turned "
                        'into it (default: the config\'s; joint)')
    parser.add_argument('--prefix',
                        help='prefix of the encoder weights in the checkpoint'
                        ' (default: backbone., or encoders.STREAM.backbone. '
                        'of a multi-stream checkpoint)')
    parser.add_argument('--work-dir', help='default: work_dirs/CONFIG_NAME')
    parser.add_argument('--seed', type=int, default=None)
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction,
        help='override config settings, xxx=yyy format')
    return parser.parse_args(argv)


def build_cfg(config, checkpoint, work_dir=None, seed=None, cfg_options=None,
              prefix=None, stream=None) -> Config:
    """The config, pointed at the checkpoint (checked), its stream and a
    work dir."""
    cfg = Config.fromfile(config) if isinstance(config, str) else config
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    checkpoint = None if checkpoint in (None, 'none') else checkpoint
    if stream is not None:
        cfg.model = stream_model_cfg(cfg.model, stream)
    if prefix is None:
        (prefix, ) = encoder_prefixes(
            cfg.model, checkpoint, configured_stream(cfg.model)).values()
    set_pretrained_backbone(cfg, checkpoint, prefix)
    if work_dir is not None:
        cfg.work_dir = work_dir
    elif cfg.get('work_dir') is None:
        cfg.work_dir = osp.join(
            'work_dirs', osp.splitext(osp.basename(cfg.filename))[0])
    if seed is not None:
        cfg.randomness = dict(cfg.get('randomness', {}), seed=seed)
    return cfg


def train_and_test(cfg: Config) -> dict:
    """Train with the config's schedule, then test the final model.

    Returns the test metrics of the last epoch's model and, from the
    config's ``BestMetricHook``, the best validation top-1 seen during
    training and its epoch (``best_top1``, ``best_epoch``: the figure the
    official script reports; the val split is the test split in these
    configs) beside the last one (``last_top1``).
    """
    runner = Runner.from_cfg(cfg)
    runner.train()
    metrics = {k: float(v) for k, v in runner.test().items()}
    best = [h for h in runner.hooks if isinstance(h, BestMetricHook)]
    summary = best[0].summary(runner) if best else None
    if summary is not None:
        metrics.update(best_top1=summary['best'],
                       best_epoch=summary['best_epoch'],
                       last_top1=summary['last'],
                       last_epoch=summary['last_epoch'])
    with open(osp.join(cfg.work_dir, 'test_metrics.json'), 'w') as f:
        json.dump(metrics, f, indent=2)
    return metrics


def main(argv=None):
    args = parse_args(argv)
    cfg = build_cfg(args.config, args.checkpoint, args.work_dir, args.seed,
                    args.cfg_options, args.prefix, args.stream)
    metrics = train_and_test(cfg)
    print(json.dumps(metrics, indent=2))
    return metrics


if __name__ == '__main__':
    exit_on_checkpoint_error(main)
