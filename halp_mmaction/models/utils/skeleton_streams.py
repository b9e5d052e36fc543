"""Joint, motion and bone streams of skeleton tensors.

The three input modalities of CMD and HaLP's multi-stream models, computed
from the augmented joint views as the official code does (after the view
transforms, not from the raw sequence):

- joint: the coordinates themselves;
- motion: ``x[t + 1] - x[t]``, the last frame zero;
- bone: each joint minus its parent, ``x[v] - x[parent(v)]``, with
  MMAction2's ``JointToBone`` pair list (for ``'nturgb+d'`` the same 25 pairs
  as the official code's, the spine joint its own parent, so its bone is 0).

Both are linear in ``x``, so an absent person (all zeros) stays zero. These
are tensor ops on any leading shape ``(..., M, T, V, C)``, so a batch of
views is converted on the model's device in one gather or one subtraction;
they equal MMAction2's per-sample ``ToMotion`` and ``JointToBone`` (for 3-d
``nturgb+d`` coordinates; MMAction2's 2-d ``openpose`` / ``coco`` variants
also average the keypoint scores, which 3-d skeletons do not have).
"""
from typing import Sequence, Union

import torch
from mmaction.datasets.transforms import JointToBone
from torch import Tensor

STREAMS = ('joint', 'motion', 'bone')


def bone_parents(layout: str = 'nturgb+d') -> Sequence[int]:
    """The parent of every joint (0-based) in a skeleton layout, from
    MMAction2's ``JointToBone`` pairs."""
    pairs = JointToBone(dataset=layout).pairs
    parents = dict(pairs)
    if sorted(parents) != list(range(len(parents))):
        raise ValueError(f'bone_parents: the "{layout}" pairs do not give '
                         'every joint one parent')
    return [parents[v] for v in range(len(parents))]


def check_stream(stream: str, where: str) -> None:
    if stream not in STREAMS:
        raise ValueError(f'{where}: stream must be one of {STREAMS}, got '
                         f'{stream!r}')


def skeleton_stream(x: Tensor, stream: str,
                    parents: Union[Sequence[int], Tensor] = None) -> Tensor:
    """One stream of joint coordinates ``x`` of shape (..., M, T, V, C).

    Args:
        x (Tensor): Joint coordinates, time at dim -3 and joints at dim -2.
        stream (str): ``'joint'`` (``x`` itself), ``'motion'`` or ``'bone'``.
        parents (Sequence[int] | Tensor, optional): Each joint's parent,
            for ``'bone'``; defaults to the ``'nturgb+d'`` layout's. The
            training step passes a long tensor on the model's device (a
            buffer), so no index is copied to the device per step.

    Returns:
        Tensor: Of ``x``'s shape and dtype.
    """
    check_stream(stream, 'skeleton_stream')
    if stream == 'joint':
        return x
    if stream == 'motion':
        motion = torch.zeros_like(x)
        motion[..., :-1, :, :] = x[..., 1:, :, :] - x[..., :-1, :, :]
        return motion
    if parents is None:
        parents = bone_parents()
    if len(parents) != x.shape[-2]:
        raise ValueError(f'skeleton_stream: {len(parents)} joints in the bone '
                         f'layout, but the input has {x.shape[-2]} (shape '
                         f'{tuple(x.shape)})')
    # A tensor already on x's device (a module's buffer) costs no copy.
    index = torch.as_tensor(parents, device=x.device)
    return x - x.index_select(-2, index)
