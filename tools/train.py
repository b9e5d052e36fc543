"""Train a model from an mmengine config (same interface as MMAction2's)."""
import argparse
import os
import os.path as osp

from mmengine.config import Config, DictAction
from mmengine.runner import Runner

import halp_mmaction  # noqa: F401  (compat fixes + registration)
from halp_mmaction.engine import apply_views_on_device
from halp_mmaction.engine.checkpoint import (exit_on_checkpoint_error,
                                             resume_hint)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Train a model')
    parser.add_argument('config', help='train config file path')
    parser.add_argument('--work-dir', help='the dir to save logs and models')
    parser.add_argument(
        '--resume',
        nargs='?',
        type=str,
        const='auto',
        help='resume from the given checkpoint, or without a value from the '
        'latest checkpoint in the work dir')
    parser.add_argument(
        '--amp', action='store_true', help='enable automatic mixed precision')
    parser.add_argument(
        '--no-validate',
        action='store_true',
        help='skip the evaluation during training')
    parser.add_argument(
        '--auto-scale-lr',
        action='store_true',
        help='scale the lr by the actual batch size over '
        'auto_scale_lr.base_batch_size')
    parser.add_argument('--seed', type=int, default=None, help='random seed')
    parser.add_argument(
        '--diff-rank-seed',
        action='store_true',
        help='use a different seed on each rank')
    parser.add_argument(
        '--deterministic',
        action='store_true',
        help='select deterministic algorithms')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config settings, xxx=yyy format')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args(argv)
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return args


def merge_args(cfg, args):
    """Fold the command-line options into the config: ``--cfg-options``
    first, then the flags (as MMAction2's train.py), so that e.g.
    ``--no-validate`` wins over options that set the val dataloader."""
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    apply_views_on_device(cfg)
    if args.no_validate:
        cfg.val_cfg = None
        cfg.val_dataloader = None
        cfg.val_evaluator = None
    cfg.launcher = args.launcher
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(args.config))[0])
    if args.amp:
        optim_wrapper = cfg.optim_wrapper.get('type', 'OptimWrapper')
        if optim_wrapper not in ('OptimWrapper', 'AmpOptimWrapper'):
            raise ValueError('--amp needs optim_wrapper.type OptimWrapper or '
                             f'AmpOptimWrapper, got {optim_wrapper}')
        cfg.optim_wrapper.type = 'AmpOptimWrapper'
        cfg.optim_wrapper.setdefault('loss_scale', 'dynamic')
    if args.resume == 'auto':
        cfg.resume = True
        cfg.load_from = None
    elif args.resume is not None:
        cfg.resume = True
        cfg.load_from = args.resume
    if args.auto_scale_lr:
        cfg.setdefault('auto_scale_lr', {})['enable'] = True
    randomness = cfg.get('randomness', None) or dict()
    if args.seed is not None:
        randomness['seed'] = args.seed
    # As MMAction2's train.py: without a seed mmengine draws one (and logs
    # it); set_randomness() has no default for it.
    randomness.setdefault('seed', None)
    if args.deterministic:
        randomness['deterministic'] = True
    if args.diff_rank_seed:
        randomness['diff_rank_seed'] = True
    cfg.randomness = randomness
    return cfg


def main(argv=None):
    args = parse_args(argv)
    cfg = merge_args(Config.fromfile(args.config), args)
    runner = Runner.from_cfg(cfg)

    def hint(err):
        return resume_hint(cfg.work_dir, err.path) if cfg.get('resume') \
            else ''

    exit_on_checkpoint_error(runner.train, hint=hint)


if __name__ == '__main__':
    main()
