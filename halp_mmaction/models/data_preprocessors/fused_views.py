"""The temporal crop-resize and the linear map after it as one compiled
kernel.

In eager PyTorch the views of the official recipe (a crop-resize, then a
shear or a joint corruption) take two row gathers, a blend and three
multiply-adds, each a full pass over the views, and the multiply-adds run
slowly on a CPU because a point's three coordinates are the innermost
dimension. ``torch.compile`` fuses them into one loop that reads the two
source rows of every output row and writes it once (inductor: C++ with
OpenMP on a CPU, Triton on a GPU). The random draws stay in eager code, so
the compiled and the eager views agree to float rounding for the same
generator state, and the checkpointed generator resumes either.
"""
from typing import Callable, Optional

import torch
from torch import Tensor

from .batched_transforms import blend_rows, map_per_joint


def crop_and_map(rows: Tensor, lo: Tensor, hi: Tensor, weight: Tensor,
                 per_joint: Tensor) -> Tensor:
    """The eager steps, :func:`blend_rows` then :func:`map_per_joint`, as
    the compiled kernel runs them: the crops' frames resized and mapped.

    Args:
        rows (Tensor): (M * F, V * 3) every person's frames of all the
            sequences, as :meth:`BatchedTemporalCropResize.resize_rows`
            reads them.
        lo, hi (Tensor): (B, M, clip_len) the rows that each output frame
            blends, and ``weight`` (B, clip_len) the weight of ``hi``
            (``resize_rows``).
        per_joint (Tensor): (B, 1, 1, V or 1, 3, 3) the matrices of
            :func:`per_joint_matrices`, applied to row vectors.

    Returns:
        Tensor: (B, M, clip_len, V, 3).
    """
    x = blend_rows(rows, lo, hi, weight).view(*lo.shape, -1, 3)
    return map_per_joint(x, per_joint)


_COMPILED: Optional[Callable] = None


def compiled_crop_and_map(rows: Tensor, lo: Tensor, hi: Tensor,
                          weight: Tensor, per_joint: Tensor) -> Tensor:
    """:func:`crop_and_map` through ``torch.compile``, compiled once per
    process for each batch size (the frame count of ``rows`` is dynamic,
    every other size static, which lets inductor unroll the 3x3 map).
    The first call of each batch size compiles (seconds to a minute)."""
    global _COMPILED
    if _COMPILED is None:
        _COMPILED = torch.compile(crop_and_map, dynamic=False)
    torch._dynamo.mark_dynamic(rows, 0)
    return _COMPILED(rows, lo, hi, weight, per_joint)
