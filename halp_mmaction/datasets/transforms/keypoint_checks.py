"""Argument and input checks shared by the skeleton transforms.

Every message names the transform and the offending argument or key, so a
bad config fails at build time with a line that says what to fix.
"""
from numbers import Real
from typing import Dict, Optional, Sequence, Tuple, Union

import numpy as np


def get_keypoint(results: Dict,
                 owner: str,
                 num_coords: Optional[int] = None) -> np.ndarray:
    """Return ``results['keypoint']`` after checking it is (M, T, V, C).

    Args:
        results (dict): The result dict.
        owner (str): The transform's name, for the error message.
        num_coords (int, optional): The required size of the last axis
            (3 for transforms that need x, y, z). Defaults to None (any).

    Returns:
        np.ndarray: The keypoint array, unchanged.
    """
    if 'keypoint' not in results:
        raise KeyError(f'{owner}: results has no "keypoint" key; '
                       f'got keys {sorted(results)}')
    keypoint = results['keypoint']
    if not isinstance(keypoint, np.ndarray) or keypoint.ndim != 4:
        shape = getattr(keypoint, 'shape', type(keypoint).__name__)
        raise ValueError(f'{owner}: results["keypoint"] must be a 4-D array '
                         f'(M, T, V, C), got {shape}')
    if num_coords is not None and keypoint.shape[-1] != num_coords:
        raise ValueError(
            f'{owner}: results["keypoint"] must have C == {num_coords} '
            f'coordinates in its last axis, got shape {keypoint.shape}')
    return keypoint


def check_non_negative(owner: str, name: str, value: Real) -> float:
    """Check a scalar argument is a finite number >= 0 and return it."""
    if not isinstance(value, Real) or not np.isfinite(value) or value < 0:
        raise ValueError(f'{owner}: {name} must be >= 0, got {value!r}')
    return float(value)


def check_probability(owner: str, name: str, value: Real) -> float:
    """Check a scalar argument lies in [0, 1] and return it."""
    if not isinstance(value, Real) or not 0 <= value <= 1:
        raise ValueError(f'{owner}: {name} must be in [0, 1], got {value!r}')
    return float(value)


def check_interval(owner: str,
                   name: str,
                   value: Union[Real, Sequence[Real]],
                   low: float,
                   high: float = np.inf,
                   low_inclusive: bool = True) -> Tuple[float, float]:
    """Check an ``(a, b)`` argument with ``low <= a <= b <= high``.

    A single number ``a`` means ``(a, a)``. With ``low_inclusive=False`` the
    bound is ``low < a``.

    Returns:
        tuple[float, float]: The interval as floats.
    """
    if isinstance(value, Real):
        value = (value, value)
    low_op = '<=' if low_inclusive else '<'
    rule = f'{low} {low_op} a <= b' + (f' <= {high}' if high < np.inf else '')
    try:
        a, b = (float(v) for v in value)
    except (TypeError, ValueError):
        raise ValueError(f'{owner}: {name} must be a number or a pair (a, b) '
                         f'with {rule}, got {value!r}') from None
    low_ok = a >= low if low_inclusive else a > low
    if not (low_ok and a <= b <= high):
        raise ValueError(f'{owner}: {name} must be a pair (a, b) with {rule}, '
                         f'got {tuple(value)!r}')
    return a, b
