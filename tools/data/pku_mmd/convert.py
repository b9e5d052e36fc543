"""PKU-MMD phase II skeletons and labels -> MMAction2 skeleton pickle.

Example::

    python tools/data/pku_mmd/convert.py \
        --skeleton-dir data/pku_mmd2/skeleton --label-dir data/pku_mmd2/label \
        --split-dir data/pku_mmd2/split --out data/skeleton/pku_mmd2_3d.pkl

See :mod:`halp_mmaction.datasets.converters.pku_mmd` for the conventions.
"""
import argparse
import sys

from halp_mmaction.datasets.converters.cli import add_common_args, main
from halp_mmaction.datasets.converters.pku_mmd import convert_pku_mmd


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--skeleton-dir', required=True,
                        help='folder of <video>.txt skeleton files')
    parser.add_argument('--label-dir', required=True,
                        help='folder of <video>.txt label files')
    parser.add_argument('--split-dir', required=True,
                        help='folder with cross_subject_v2.txt and '
                        'cross_view_v2.txt')
    add_common_args(parser)
    return parser


def to_kwargs(args: argparse.Namespace) -> dict:
    return dict(skeleton_dir=args.skeleton_dir, label_dir=args.label_dir,
                split_dir=args.split_dir)


def cli(argv=None) -> int:
    return main(build_parser, convert_pku_mmd, to_kwargs, argv)


if __name__ == '__main__':
    sys.exit(cli())
