"""N-UCLA (Northwestern-UCLA Multiview Action 3D) skeletons -> MMAction2
skeleton pickle in the NTU layout, cross-view splits.

Example::

    python tools/data/nw_ucla/convert.py --data-root data/nw_ucla/all_sqe \
        --out data/skeleton/nw_ucla_3d.pkl

See :mod:`halp_mmaction.datasets.converters.nw_ucla` for the format, the
joint mapping and the splits.
"""
import argparse
import sys

from halp_mmaction.datasets.converters.cli import add_common_args, main
from halp_mmaction.datasets.converters.nw_ucla import convert_nw_ucla


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--data-root', required=True,
                        help='folder of aAA_sSS_eEE_vVV.json files (all_sqe)')
    add_common_args(parser)
    return parser


def to_kwargs(args: argparse.Namespace) -> dict:
    return dict(data_root=args.data_root)


def cli(argv=None) -> int:
    return main(build_parser, convert_nw_ucla, to_kwargs, argv)


if __name__ == '__main__':
    sys.exit(cli())
