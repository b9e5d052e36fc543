"""Preprocessed HaLP / CMD / AimCLR ``.npy`` sets -> MMAction2 skeleton pickle.

Example::

    python tools/data/official_npy/convert.py \
        --data-dir data/NTU-RGB-D-60-AGCN/xsub \
        --out data/skeleton/ntu60_xsub_official.pkl

See :mod:`halp_mmaction.datasets.converters.official_npy` for the
conventions.
"""
import argparse
import sys

from halp_mmaction.datasets.converters.cli import add_common_args, main
from halp_mmaction.datasets.converters.official_npy import (
    DEFAULT_NUM_CLASSES, PARTS, convert_official_npy)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--data-dir', required=True,
                        help='folder with <part>_data_joint.npy, '
                        '<part>_num_frame.npy and <part>_label.pkl')
    parser.add_argument('--split-name',
                        help='split name prefix: writes <name>_train and '
                        '<name>_val (default: the folder name if it is xsub, '
                        'xview, xset or xsetup, else xsub)')
    parser.add_argument('--parts', nargs='+', default=list(PARTS),
                        help='parts to convert (default: train val)')
    parser.add_argument('--num-classes', type=int,
                        default=DEFAULT_NUM_CLASSES,
                        help='labels must lie in 0..N-1 (default: '
                        f'{DEFAULT_NUM_CLASSES}; NTU-60: 60, PKU-MMD II: 51)')
    add_common_args(parser)
    return parser


def to_kwargs(args: argparse.Namespace) -> dict:
    return dict(data_dir=args.data_dir, split_name=args.split_name,
                parts=args.parts, num_classes=args.num_classes)


def cli(argv=None) -> int:
    return main(build_parser, convert_official_npy, to_kwargs, argv)


if __name__ == '__main__':
    sys.exit(cli())
