"""Reading raw text files, with errors that name the file and the line."""
from typing import Sequence, Union

import numpy as np

from .base import PathLike, SkeletonParseError


def read_text(path: PathLike) -> str:
    """Read a raw text file, turning I/O and decoding problems into
    :class:`SkeletonParseError`."""
    try:
        with open(path, 'rb') as f:
            data = f.read()
        return data.decode('utf-8')
    except OSError as err:
        raise SkeletonParseError(path, f'cannot read: {err.strerror}')
    except UnicodeDecodeError as err:
        line = data.count(b'\n', 0, err.start) + 1
        raise SkeletonParseError(
            path, f'not a text file (byte {err.start} is not UTF-8)', line)


def parse_float_rows(path: PathLike, rows: Sequence[str],
                     line_numbers: Union[Sequence[int], np.ndarray],
                     num_cols: int) -> np.ndarray:
    """Parse text rows of ``num_cols`` whitespace-separated numbers at once.

    The whole block goes through one call of numpy's C text parser
    (``np.loadtxt`` on the list of rows); only when it fails is the block
    scanned row by row in Python to name the first bad line.

    Args:
        path (str | PathLike): The file, for error messages.
        rows (Sequence[str]): The rows' text.
        line_numbers (Sequence[int]): 1-based line number of each row.
        num_cols (int): Values per row.

    Returns:
        np.ndarray: float64 array of shape (len(rows), num_cols), all finite.
    """
    try:
        values = np.loadtxt(rows, dtype=np.float64, comments=None, ndmin=2)
    except ValueError:
        values = None
    # loadtxt skips blank rows, hence the shape check.
    if values is None or values.shape != (len(rows), num_cols):
        _raise_first_bad_row(path, rows, line_numbers, num_cols)
    values = values.reshape(len(rows), num_cols)
    finite = np.isfinite(values).all(axis=1)
    if not finite.all():
        r = int(np.argmin(finite))
        bad = values[r][~np.isfinite(values[r])][0]
        raise SkeletonParseError(path, f'non-finite value ({bad})',
                                 int(line_numbers[r]))
    return values


def _raise_first_bad_row(path, rows, line_numbers, num_cols) -> None:
    for row, line in zip(rows, line_numbers):
        tokens = row.split()
        if len(tokens) != num_cols:
            raise SkeletonParseError(
                path, f'expected {num_cols} numbers, found {len(tokens)}',
                int(line))
        for token in tokens:
            try:
                float(token)
            except ValueError:
                raise SkeletonParseError(path, f'not a number: {token!r}',
                                         int(line))
    raise SkeletonParseError(path, 'cannot parse the numeric block')
