"""Write the embedded demo dataset to an MMAction2 skeleton pickle.

Example::

    python tools/data/demo/generate_demo_data.py \
        --out data/skeleton/demo_3d.pkl

The file holds exactly what ``DemoSkeletonDataset`` builds in memory (see
:mod:`halp_mmaction.datasets.demo_skeleton`), so configs can use either that
dataset or a plain ``PoseDataset`` on this file.
"""
import argparse
import pickle
import sys
from typing import List, Optional

from halp_mmaction.datasets.converters.base import ConversionError
from halp_mmaction.datasets.converters.runner import (atomic_write,
                                                      check_output)
from halp_mmaction.datasets.demo_skeleton import (DEMO_CLASSES,
                                                  generate_demo_skeletons)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--out', default='data/skeleton/demo_3d.pkl',
                        help='the pickle to write (default: '
                        'data/skeleton/demo_3d.pkl)')
    parser.add_argument('--seed', type=int, default=0,
                        help='non-negative base seed (default: 0)')
    parser.add_argument('--num-classes', type=int, default=12,
                        choices=range(1, len(DEMO_CLASSES) + 1),
                        metavar=f'{{1..{len(DEMO_CLASSES)}}}',
                        help='how many classes (default: 12)')
    parser.add_argument('--overwrite', action='store_true',
                        help='replace an existing output')
    return parser


def cli(argv: Optional[List[str]] = None) -> int:
    """Generate and write the pickle; print a one-line summary.

    Returns:
        int: The exit status, 0 on success, 1 on error.
    """
    args = build_parser().parse_args(argv)
    try:
        # Checked before generating, so a refusal costs nothing.
        out = check_output(args.out, args.overwrite)
        data = generate_demo_skeletons(num_classes=args.num_classes,
                                       seed=args.seed)
    except (ConversionError, ValueError) as err:
        print(f'error: {err}', file=sys.stderr)
        return 1
    atomic_write(out, lambda f: pickle.dump(
        data, f, protocol=pickle.HIGHEST_PROTOCOL))
    split = data['split']
    print(f'wrote {out}: {len(split["xsub_train"])} xsub_train + '
          f'{len(split["xsub_val"])} xsub_val samples, {args.num_classes} '
          f'classes, seed {args.seed}')
    return 0


if __name__ == '__main__':
    sys.exit(cli())
