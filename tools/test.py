"""Evaluate a checkpoint with a config's test loop (MMAction2's interface).

For the pretraining configs the test loop is the kNN evaluation: features of
the labelled training split classify the val split (1-NN, cosine).

The checkpoint must fit the config's model: its backbone weights (and the
classification head's, for a classifier config) are checked key by key
before the test, and a mismatch stops with the missing and unexpected keys
(mmengine itself loads non-strictly and would only warn).
"""
import argparse
import os
import os.path as osp

from mmengine.config import Config, DictAction
from mmengine.runner import Runner

import halp_mmaction  # noqa: F401  (compat fixes + registration)
from halp_mmaction.engine.checkpoint import exit_on_checkpoint_error
from halp_mmaction.evaluation import check_checkpoint_fits


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Test (and evaluate) a model')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument(
        '--work-dir', help='the dir to save the evaluation metrics')
    parser.add_argument(
        '--dump', type=str, help='dump predictions to a pickle file')
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


def main(argv=None):
    args = parse_args(argv)
    cfg = Config.fromfile(args.config)
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    cfg.launcher = args.launcher
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(args.config))[0])
    cfg.load_from = args.checkpoint
    if args.dump is not None:
        if not args.dump.endswith(('.pkl', '.pickle')):
            raise ValueError('--dump must be a .pkl or .pickle file')
        evaluator = cfg.test_evaluator
        evaluator = list(evaluator) if isinstance(evaluator,
                                                  (list, tuple)) else [
                                                      evaluator
                                                  ]
        cfg.test_evaluator = evaluator + [
            dict(type='DumpResults', out_file_path=args.dump)
        ]
    runner = Runner.from_cfg(cfg)
    exit_on_checkpoint_error(check_checkpoint_fits, runner.model,
                             args.checkpoint)
    return exit_on_checkpoint_error(runner.test)


if __name__ == '__main__':
    main()
