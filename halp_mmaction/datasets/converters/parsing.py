"""Reading raw text files, with errors that name the file and the line."""
from typing import Callable, Optional, Sequence, Tuple, Union

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
        np.ndarray: float64 array of shape (len(rows), num_cols), every
        value finite in float32 (see :func:`check_float32_finite`).
    """
    try:
        values = np.loadtxt(rows, dtype=np.float64, comments=None, ndmin=2)
    except ValueError:
        values = None
    # loadtxt skips blank rows, hence the shape check.
    if values is None or values.shape != (len(rows), num_cols):
        _raise_first_bad_row(path, rows, line_numbers, num_cols)
    values = values.reshape(len(rows), num_cols)
    check_float32_finite(path, values, line=lambda index: int(
        line_numbers[index[0]]))
    return values


def check_float32_finite(path: PathLike,
                         values: np.ndarray,
                         where: Optional[Callable[[Tuple[int, ...]],
                                                  str]] = None,
                         line: Optional[Callable[[Tuple[int, ...]],
                                                 int]] = None) -> None:
    """Refuse any value that is not finite once stored as float32.

    The pickles hold float32, so a value beyond its range (|x| > 3.4e38, e.g.
    ``1e39``) would pass a float64 finiteness check and come out as inf.

    Args:
        path (str | PathLike): The file, for the error.
        values (np.ndarray): The parsed numbers, any shape.
        where (Callable, optional): Describes an index of ``values`` for the
            error (e.g. ``'frame 3, joint 5'``).
        line (Callable, optional): The 1-based line of an index.

    Raises:
        SkeletonParseError: naming the file, the line or place and the value.
    """
    with np.errstate(over='ignore', invalid='ignore'):
        bad = ~np.isfinite(values.astype(np.float32))
    if not bad.any():
        return
    index = tuple(int(i) for i in np.unravel_index(np.argmax(bad),
                                                   values.shape))
    value = values[index]
    msg = f'non-finite value ({value})' if not np.isfinite(value) else \
        f'value {value:g} is beyond the float32 range (|x| <= 3.4e38)'
    if where is not None:
        msg = f'{where(index)}: {msg}'
    raise SkeletonParseError(path, msg,
                             line(index) if line is not None else None)


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
