"""MSR Action3D skeletons -> MMAction2 skeleton pickle in the NTU layout.

Example::

    python tools/data/msr_action3d/convert.py --data-root data/msr_action3d \
        --out data/skeleton/msr_action3d_3d.pkl --skip-invalid

See :mod:`halp_mmaction.datasets.converters.msr_action3d` for the joint
mapping and the axes.
"""
import argparse
import sys

from halp_mmaction.datasets.converters.cli import add_common_args, main
from halp_mmaction.datasets.converters.msr_action3d import \
    convert_msr_action3d


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--data-root', required=True,
                        help='folder of aAA_sSS_eEE_skeleton3D.txt files')
    add_common_args(parser)
    return parser


def to_kwargs(args: argparse.Namespace) -> dict:
    return dict(data_root=args.data_root)


def cli(argv=None) -> int:
    return main(build_parser, convert_msr_action3d, to_kwargs, argv)


if __name__ == '__main__':
    sys.exit(cli())
