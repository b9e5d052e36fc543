"""Raw NTU RGB+D 60 / 120 ``.skeleton`` files -> MMAction2 skeleton pickle.

Example::

    python tools/data/ntu/convert.py --data-root data/nturgb+d_skeletons \
        --dataset ntu60 --out data/skeleton/ntu60_3d.pkl \
        --missing-list data/NTU_RGBD_samples_with_missing_skeletons.txt \
        --workers 8

See :mod:`halp_mmaction.datasets.converters.ntu` for the conventions.
"""
import argparse
import sys

from halp_mmaction.datasets.converters.cli import add_common_args, main
from halp_mmaction.datasets.converters.ntu import SPLITS, convert_ntu


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--data-root', required=True,
                        help='folder of .skeleton files (searched '
                        'recursively)')
    parser.add_argument('--dataset', required=True, choices=sorted(SPLITS))
    parser.add_argument('--missing-list',
                        help='the official missing-skeleton list; without '
                        'it, samples with no body are found and skipped')
    add_common_args(parser)
    return parser


def to_kwargs(args: argparse.Namespace) -> dict:
    return dict(data_root=args.data_root, dataset=args.dataset,
                missing_list=args.missing_list)


def cli(argv=None) -> int:
    return main(build_parser, convert_ntu, to_kwargs, argv)


if __name__ == '__main__':
    sys.exit(cli())
