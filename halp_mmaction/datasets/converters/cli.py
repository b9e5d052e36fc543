"""What the ``tools/data/<dataset>/convert.py`` command lines share."""
import argparse
import sys
from typing import Callable, List, Optional

from .base import ConversionError, ConversionSummary


def add_common_args(parser: argparse.ArgumentParser) -> None:
    """``--out``, ``--workers``, ``--skip-invalid``, ``--overwrite``."""
    parser.add_argument('--out', required=True,
                        help='the pickle to write (e.g. data/skeleton/'
                        'ntu60_3d.pkl)')
    parser.add_argument('--workers', type=int, default=1,
                        help='worker processes (default: 1)')
    parser.add_argument('--skip-invalid', action='store_true',
                        help='skip invalid files and go on; every skipped '
                        'file is listed in <out>.skipped.txt')
    parser.add_argument('--overwrite', action='store_true',
                        help='replace an existing output')
    parser.add_argument('--progress', action=argparse.BooleanOptionalAction,
                        default=sys.stderr.isatty(),
                        help='progress bar on stderr (default: when stderr '
                        'is a terminal)')


def common_kwargs(args: argparse.Namespace) -> dict:
    return dict(out=args.out, workers=args.workers,
                skip_invalid=args.skip_invalid, overwrite=args.overwrite,
                progress=args.progress)


def run(convert: Callable[..., ConversionSummary], **kwargs) -> int:
    """Run a conversion; print its summary, or one line on error.

    Returns:
        int: The exit status, 0 on success, 1 on error.
    """
    try:
        summary = convert(**kwargs)
    except ConversionError as err:
        hint = ' (pass --skip-invalid to skip invalid files)' \
            if getattr(err, 'skippable', False) else ''
        message = ' '.join(str(err).split())  # one line, whatever err says
        print(f'error: {message}{hint}', file=sys.stderr)
        return 1
    print(summary.format())
    return 0


def main(build_parser: Callable[[], argparse.ArgumentParser],
         convert: Callable[..., ConversionSummary],
         to_kwargs: Callable[[argparse.Namespace], dict],
         argv: Optional[List[str]] = None) -> int:
    """Parse ``argv`` and run ``convert(**to_kwargs(args), **common)``."""
    args = build_parser().parse_args(argv)
    return run(convert, **to_kwargs(args), **common_kwargs(args))
