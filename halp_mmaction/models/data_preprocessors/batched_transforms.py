"""The skeleton view transforms applied to a whole batch on its device.

Each class here is the batched counterpart of one per-sample transform of
:mod:`halp_mmaction.datasets.transforms` (and of mmcv's ``RandomChoice``):
built from that transform's config, with its checked arguments, it draws
one set of parameters per sample from torch's generator on the batch's
device, with the per-sample transform's distributions, and applies them to a
padded batch ``x`` of shape (N, M, T, V, C) in a few tensor ops.
``lengths`` (N, ) holds each sample's valid frames; padding frames are zero
and only the temporal crop reads the lengths. (``SkeletonViewPreprocessor``
pads nothing: it hands the crop the sequences side by side in time, through
:meth:`BatchedTemporalCropResize.crop_frames`.)

Every transform splits into ``draw(x, lengths) -> params`` and
``augment(x, lengths, **params)``, so that a test can feed it the draws of
the per-sample transform and compare the two. The per-sample transforms
stay the reference.
"""
from typing import Dict, List, Optional, Sequence, Tuple, Type

import numpy as np
import torch
from mmcv.transforms import Compose, RandomChoice
from mmaction.registry import TRANSFORMS
from torch import Tensor, nn

from halp_mmaction.datasets.transforms import (GaussianJitter,
                                               JointCorruption, RandomLRFlip,
                                               RandomRotation, RandomScale,
                                               RandomShear,
                                               TemporalCropResize)
from halp_mmaction.datasets.transforms.random_lr_flip import flip_permutation


def uniform(low, high, size: Sequence[int], device,
            dtype: torch.dtype = torch.float32) -> Tensor:
    """``U(low, high)`` draws of ``size``, as ``np.random.uniform``."""
    return low + (high - low) * torch.rand(size, device=device, dtype=dtype)


def batched_rotation_matrix(angles: Tensor) -> Tensor:
    """``Rz @ Ry @ Rx`` of (N, 3) angles about x, y and z: (N, 3, 3), the
    batched :func:`~halp_mmaction.datasets.transforms.random_rotation.
    rotation_matrix`."""
    cos, sin = angles.cos(), angles.sin()
    one, zero = torch.ones_like(cos[:, 0]), torch.zeros_like(cos[:, 0])

    def matrix(*rows):
        return torch.stack([torch.stack(r, dim=-1) for r in rows], dim=-2)

    (cx, cy, cz), (sx, sy, sz) = cos.unbind(1), sin.unbind(1)
    rot_x = matrix((one, zero, zero), (zero, cx, -sx), (zero, sx, cx))
    rot_y = matrix((cy, zero, sy), (zero, one, zero), (-sy, zero, cy))
    rot_z = matrix((cz, -sz, zero), (sz, cz, zero), (zero, zero, one))
    return rot_z @ rot_y @ rot_x


class BatchedTransform(nn.Module):
    """Base of the batched counterparts: ``draw``, then ``augment``.

    Args:
        transform: The per-sample transform whose arguments it takes.
    """

    def __init__(self, transform) -> None:
        super().__init__()
        self.transform = transform
        self.name = type(transform).__name__

    def draw(self, x: Tensor, lengths: Tensor) -> Dict[str, Tensor]:
        raise NotImplementedError

    def augment(self, x: Tensor, lengths: Tensor,
                **params: Tensor) -> Tuple[Tensor, Tensor]:
        raise NotImplementedError

    def forward(self, x: Tensor, lengths: Tensor) -> Tuple[Tensor, Tensor]:
        return self.augment(x, lengths, **self.draw(x, lengths))

    def check_coords(self, x: Tensor, num_coords: int = 3) -> None:
        if x.dim() != 5 or x.shape[-1] != num_coords:
            raise ValueError(f'{self.name} (on the device): the batch must be '
                             f'(N, M, T, V, {num_coords}), got '
                             f'{tuple(x.shape)}')

    def extra_repr(self) -> str:
        return repr(self.transform)


class BatchedTemporalCropResize(BatchedTransform):
    """:class:`TemporalCropResize`, one crop per sample: the crop's start
    and length (``draw``) over each sample's valid frames, then the linear
    resize to ``clip_len`` frames as two gathers and a blend."""

    def draw(self, x: Tensor, lengths: Tensor) -> Dict[str, Tensor]:
        t = self.transform
        low, high = t.crop_ratio
        num = lengths.shape[0]
        # float64 as NumPy, so that floor(L * r) falls on the same frame.
        if t.center:
            ratio = torch.full((num, ), low, dtype=torch.float64,
                               device=x.device)
        else:
            ratio = uniform(low, high, (num, ), x.device, torch.float64)
        length = (lengths * ratio).floor().long().clamp(min=t.min_crop_len)
        length = torch.minimum(length, lengths)
        if t.center:
            start = (lengths - length) // 2
        else:
            slots = lengths - length + 1
            start = (torch.rand(num, dtype=torch.float64, device=x.device)
                     * slots).long()
            start = torch.minimum(start, slots - 1)
        return dict(start=start, length=length)

    def augment(self, x: Tensor, lengths: Tensor, start: Tensor,
                length: Tensor) -> Tuple[Tensor, Tensor]:
        num, persons, frames = x.shape[:3]
        # The sequences side by side in time: (M, N * T, V * C).
        frame_rows = x.transpose(0, 1).reshape(persons, num * frames, -1)
        first = frames * torch.arange(num, device=x.device)
        out = self.crop_frames(frame_rows, first, start, length,
                               x.shape[-2:])
        return out, torch.full_like(lengths, self.transform.clip_len)

    def crop_frames(self, frames: Tensor, first: Tensor, start: Tensor,
                    length: Tensor, shape: Tuple[int, int]) -> Tensor:
        """The crops of sequences stored side by side in time.

        Args:
            frames (Tensor): (M, F, V * C): the frames of all the sequences,
                one after the other along dim 1.
            first (Tensor): (B, ) the frame where each crop's sequence
                starts.
            start, length (Tensor): (B, ) each crop's window (``draw``).
            shape (tuple): (V, C) of one person in one frame.

        Returns:
            Tensor: (B, M, clip_len, V, C) crops, contiguous.
        """
        persons, total = frames.shape[:2]
        lo, hi, weight = self.resize_rows(first, start, length, persons,
                                          total)
        out = blend_rows(frames.reshape(persons * total, -1), lo, hi, weight)
        return out.view(-1, persons, self.transform.clip_len, *shape)

    def resize_rows(self, first: Tensor, start: Tensor, length: Tensor,
                    persons: int, total: int) -> Tuple[Tensor, Tensor,
                                                       Tensor]:
        """The linear resize of :meth:`crop_frames` as rows to gather: the
        frames of all sequences flattened to rows of (M * F, V * C), person
        by person, crop ``b``'s person ``m`` at output frame ``t`` is
        ``lerp(rows[lo[b, m, t]], rows[hi[b, m, t]], weight[b, t])``.

        Returns:
            tuple: ``lo`` and ``hi`` (B, M, clip_len) int64, ``weight``
            (B, clip_len) float64.
        """
        clip_len = self.transform.clip_len
        # linear_resize_indices for every crop length at once.
        span = length.to(torch.float64)[:, None]
        src = ((torch.arange(clip_len, dtype=torch.float64,
                             device=first.device) + 0.5)
               * (span / clip_len) - 0.5).clamp(min=0)
        src = torch.minimum(src, span - 1)
        lo = src.floor().long()
        hi = torch.minimum(lo + 1, length[:, None] - 1)
        # Rows in the order (crop, person, frame), so that the gathers give
        # the (B, M, clip_len, V, C) layout directly.
        base = ((first + start)[:, None, None] + total * torch.arange(
            persons, device=first.device)[:, None])
        return base + lo[:, None], base + hi[:, None], src - lo


def blend_rows(rows: Tensor, lo: Tensor, hi: Tensor,
               weight: Tensor) -> Tensor:
    """``lerp(rows[lo], rows[hi], weight)`` for the (B, M, clip_len) rows
    and (B, clip_len) weights of :meth:`BatchedTemporalCropResize.
    resize_rows`: (B * M * clip_len, V * C)."""
    persons = lo.shape[1]
    # In place into the first gather: one fresh batch fewer.
    return rows.index_select(0, lo.view(-1)).lerp_(
        rows.index_select(0, hi.view(-1)),
        weight[:, None, :, None].to(rows.dtype).expand(
            -1, persons, -1, 1).reshape(-1, 1))


def map_per_joint(x: Tensor, per_joint: Tensor) -> Tensor:
    """``x`` (N, M, T, V, 3) mapped as row vectors by the
    :func:`per_joint_matrices` ``per_joint``."""
    # Three multiply-adds over the batch: a bmm whose inner size is 3, and
    # a masked blend after it, cost twice as long on a CPU.
    out = x[..., 0:1] * per_joint[..., 0, :]
    out.addcmul_(x[..., 1:2], per_joint[..., 1, :])
    return out.addcmul_(x[..., 2:3], per_joint[..., 2, :])


def apply_linear(x: Tensor, joints: Optional[Tensor],
                 matrix: Tensor) -> Tensor:
    """Map the points of ``x`` (N, M, T, V, 3) by ``matrix`` (N, 3, 3), as
    row vectors (``x @ A``), on the joints where ``joints`` (N, V) is True
    (all when None); the others stay as they are."""
    return map_per_joint(
        x, per_joint_matrices(joints, matrix, x.shape[3], x.dtype))


def per_joint_matrices(joints: Optional[Tensor], matrix: Tensor,
                       num_joints: int, dtype: torch.dtype) -> Tensor:
    """The (N, 1, 1, V, 3, 3) matrices of :func:`apply_linear`, one per
    sample and joint ((N, 1, 1, 1, 3, 3) when ``joints`` is None): each
    sample's ``matrix`` on its ``joints``, the identity elsewhere."""
    matrix = matrix.to(dtype)
    num = matrix.shape[0]
    if joints is None:
        return matrix.view(num, 1, 1, 1, 3, 3)
    # The identity on the joints left alone: x * 1 + y * 0 + z * 0 is x
    # exactly, so the selection costs no pass of its own.
    eye = torch.eye(3, dtype=dtype, device=matrix.device)
    return torch.where(joints.view(num, num_joints, 1, 1),
                       matrix.view(num, 1, 3, 3), eye).view(
                           num, 1, 1, num_joints, 3, 3)


def is_linear_map(transform: nn.Module) -> bool:
    """Whether a batched transform maps each sample's joints by 3x3
    matrices (``draw_linear``): a :class:`BatchedLinearMap` or a
    :class:`BatchedRandomChoice` among them."""
    return isinstance(transform, BatchedLinearMap) or (
        isinstance(transform, BatchedRandomChoice) and transform.linear)


class BatchedLinearMap(BatchedTransform):
    """A transform that maps the points of some joints of each sample by
    one 3x3 matrix (all joints unless ``joints`` is drawn), so that
    :class:`BatchedRandomChoice` can merge a choice among such transforms
    into one product. ``draw_linear`` gives ``(joints, matrix)``."""

    def draw(self, x: Tensor, lengths: Tensor) -> Dict[str, Tensor]:
        joints, matrix = self.draw_linear(x, lengths)
        return dict(matrix=matrix) if joints is None else dict(
            matrix=matrix, joints=joints)

    def draw_linear(self, x: Tensor,
                    lengths: Tensor) -> Tuple[Optional[Tensor], Tensor]:
        raise NotImplementedError

    def augment(self, x: Tensor, lengths: Tensor, matrix: Tensor,
                joints: Optional[Tensor] = None) -> Tuple[Tensor, Tensor]:
        self.check_coords(x)
        return apply_linear(x, joints, matrix), lengths


class BatchedRandomShear(BatchedLinearMap):
    """:class:`RandomShear`: ones on the diagonal, ``U(-beta, beta)`` off
    it; ``matrix`` is the shear's transpose."""

    def draw_linear(self, x: Tensor,
                    lengths: Tensor) -> Tuple[Optional[Tensor], Tensor]:
        beta = self.transform.beta
        shear = uniform(-beta, beta, (x.shape[0], 3, 3), x.device)
        shear.diagonal(dim1=1, dim2=2).fill_(1)
        return None, shear.transpose(1, 2)


class BatchedRandomRotation(BatchedLinearMap):
    """:class:`RandomRotation`: ``Rz @ Ry @ Rx`` of ``U(-a, a)`` angles;
    ``matrix`` is its transpose."""

    def draw_linear(self, x: Tensor,
                    lengths: Tensor) -> Tuple[Optional[Tensor], Tensor]:
        max_angle = torch.tensor(self.transform.max_angle, device=x.device,
                                 dtype=torch.float64)
        angles = uniform(-max_angle, max_angle, (x.shape[0], 3), x.device,
                         torch.float64)
        return None, batched_rotation_matrix(angles).transpose(1, 2)


class BatchedJointCorruption(BatchedLinearMap):
    """:class:`JointCorruption`: per sample, ``num_joints`` distinct joints
    (``joints``), zeroed or mixed by a ``U(-1, 1)`` matrix (row vectors as
    the official ``np.dot``); zeroing is mixing by the zero ``matrix``."""

    def draw_linear(self, x: Tensor,
                    lengths: Tensor) -> Tuple[Optional[Tensor], Tensor]:
        self.check_coords(x)
        t, (num, joints) = self.transform, (x.shape[0], x.shape[3])
        if t.num_joints > joints:
            raise ValueError(f'{self.name}: num_joints={t.num_joints} exceeds '
                             f'the {joints} joints of the batch '
                             f'{tuple(x.shape)}')
        # The num_joints smallest of V uniform keys: a uniform subset.
        keys = torch.rand(num, joints, device=x.device)
        picked = keys.topk(t.num_joints, dim=1, largest=False).indices
        mask = torch.zeros(num, joints, dtype=torch.bool, device=x.device)
        mask.scatter_(1, picked, True)
        keep = torch.rand(num, device=x.device) >= t.p_zero
        mix = uniform(-1, 1, (num, 3, 3), x.device)
        return mask, mix * keep.view(-1, 1, 1)


class BatchedRandomLRFlip(BatchedTransform):
    """:class:`RandomLRFlip`: with probability ``p`` per sample (``flip``),
    swap the layout's left and right joints and negate x."""

    def __init__(self, transform: RandomLRFlip) -> None:
        super().__init__(transform)
        self.register_buffer(
            'perm', torch.from_numpy(flip_permutation(transform.layout)),
            persistent=False)

    def draw(self, x: Tensor, lengths: Tensor) -> Dict[str, Tensor]:
        return dict(flip=torch.rand(x.shape[0], device=x.device)
                    < self.transform.p)

    def augment(self, x: Tensor, lengths: Tensor,
                flip: Tensor) -> Tuple[Tensor, Tensor]:
        if x.dim() != 5 or x.shape[3] != len(self.perm):
            raise ValueError(f'{self.name}: layout {self.transform.layout!r} '
                             f'has {len(self.perm)} joints, the batch has '
                             f'shape {tuple(x.shape)}')
        mirrored = x.index_select(3, self.perm)
        sign = torch.ones(x.shape[-1], dtype=x.dtype, device=x.device)
        sign[0] = -1
        # + 0.0 turns the -0.0 of absent joints into +0.0, as 0 - x does.
        mirrored = mirrored * sign + 0.0
        return torch.where(flip.view(-1, 1, 1, 1, 1), mirrored, x), lengths


class BatchedRandomScale(BatchedTransform):
    """:class:`RandomScale`: ``U(scale)`` factors per sample, one per axis
    or one for all (``factors``, (N, C) or (N, 1))."""

    def draw(self, x: Tensor, lengths: Tensor) -> Dict[str, Tensor]:
        size = 1 if self.transform.isotropic else x.shape[-1]
        return dict(factors=uniform(*self.transform.scale,
                                    (x.shape[0], size), x.device))

    def augment(self, x: Tensor, lengths: Tensor,
                factors: Tensor) -> Tuple[Tensor, Tensor]:
        factors = factors.to(x.dtype).view(x.shape[0], 1, 1, 1, -1)
        return x * factors, lengths


class BatchedGaussianJitter(BatchedTransform):
    """:class:`GaussianJitter`: ``N(0, std)`` noise (``noise``, of the
    batch's shape) on present joints only."""

    def draw(self, x: Tensor, lengths: Tensor) -> Dict[str, Tensor]:
        return dict(noise=torch.randn_like(x) * self.transform.std)

    def augment(self, x: Tensor, lengths: Tensor,
                noise: Tensor) -> Tuple[Tensor, Tensor]:
        present = (x != 0).any(dim=-1, keepdim=True)
        return x + noise.to(x.dtype) * present, lengths


class BatchedRandomChoice(BatchedTransform):
    """mmcv's ``RandomChoice``: one branch per sample (``branch``, drawn
    with the transform's ``prob``). When every branch is one
    :class:`BatchedLinearMap` (the official shear or corruption), each
    sample's joints and matrix are picked from its branch's draws and
    applied in one product; otherwise every branch runs on the whole batch
    and each sample keeps its own branch's result (the branches must agree
    on the output shape). Either way no sample count leaves the device."""

    def __init__(self, transform: RandomChoice) -> None:
        super().__init__(transform)
        self.branches = nn.ModuleList(
            BatchedCompose(branch.transforms) for branch in transform)
        prob = transform.prob
        prob = (np.full(len(self.branches), 1 / len(self.branches))
                if prob is None else np.asarray(prob, dtype=np.float64))
        self.register_buffer('cum_prob',
                             torch.from_numpy(np.cumsum(prob)[:-1]),
                             persistent=False)
        self.linear = all(
            len(b.transforms) == 1
            and isinstance(b.transforms[0], BatchedLinearMap)
            for b in self.branches)

    def draw(self, x: Tensor, lengths: Tensor) -> Dict[str, Tensor]:
        u = torch.rand(x.shape[0], dtype=torch.float64, device=x.device)
        return dict(branch=torch.bucketize(u, self.cum_prob, right=True))

    def forward(self, x: Tensor, lengths: Tensor) -> Tuple[Tensor, Tensor]:
        if not self.linear:
            return self.augment(x, lengths, **self.draw(x, lengths))
        return apply_linear(x, *self.draw_linear(x, lengths)), lengths

    def draw_linear(self, x: Tensor, lengths: Tensor) -> Tuple[Tensor, Tensor]:
        """As :meth:`BatchedLinearMap.draw_linear`, when every branch is
        one: the branch per sample, then every branch's draws, each sample
        keeping its own branch's joints and matrix."""
        branch = self.draw(x, lengths)['branch']
        self.branches[0].transforms[0].check_coords(x)
        joints, matrix = None, None
        for b, transforms in enumerate(self.branches):
            b_joints, b_matrix = transforms.transforms[0].draw_linear(
                x, lengths)
            if b_joints is None:
                b_joints = torch.ones(x.shape[0], x.shape[3],
                                      dtype=torch.bool, device=x.device)
            if matrix is None:
                joints, matrix = b_joints, b_matrix
                continue
            chosen = (branch == b).view(-1, 1)
            joints = torch.where(chosen, b_joints, joints)
            matrix = torch.where(chosen.view(-1, 1, 1), b_matrix, matrix)
        return joints, matrix

    def augment(self, x: Tensor, lengths: Tensor,
                branch: Tensor) -> Tuple[Tensor, Tensor]:
        out, out_len = None, None
        for b, transforms in enumerate(self.branches):
            y, y_len = transforms(x, lengths)
            if out is None:
                out, out_len = y, y_len
                continue
            if y.shape != out.shape:
                raise ValueError(
                    'RandomChoice (on the device): every branch must give the '
                    f'same shape, got {tuple(out.shape)} and {tuple(y.shape)}')
            chosen = branch == b
            out = torch.where(chosen.view(-1, 1, 1, 1, 1), y, out)
            out_len = torch.where(chosen, y_len, out_len)
        return out, out_len


class BatchedCompose(nn.Module):
    """The batched transforms of a list of per-sample ones, in turn."""

    def __init__(self, transforms: Sequence) -> None:
        super().__init__()
        self.transforms = nn.ModuleList(
            build_batched_transform(t) for t in transforms)

    def forward(self, x: Tensor, lengths: Tensor) -> Tuple[Tensor, Tensor]:
        for transform in self.transforms:
            x, lengths = transform(x, lengths)
        return x, lengths


BATCHED: Dict[type, Type[BatchedTransform]] = {
    TemporalCropResize: BatchedTemporalCropResize,
    RandomShear: BatchedRandomShear,
    RandomRotation: BatchedRandomRotation,
    JointCorruption: BatchedJointCorruption,
    RandomLRFlip: BatchedRandomLRFlip,
    RandomScale: BatchedRandomScale,
    GaussianJitter: BatchedGaussianJitter,
    RandomChoice: BatchedRandomChoice,
}


def build_batched_transform(cfg) -> BatchedTransform:
    """The batched counterpart of a per-sample transform (config or object).

    Raises:
        ValueError: The transform has no batched counterpart (normalisation
            and loading stay in the dataset pipeline).
    """
    if isinstance(cfg, dict):
        # MMAction2's scope, so that mmcv's wrappers (RandomChoice) find our
        # transforms in their branches outside a Runner too.
        with TRANSFORMS.switch_scope_and_registry('mmaction') as registry:
            cfg = registry.build(cfg)
    transform = cfg
    if isinstance(transform, Compose):
        return BatchedCompose(transform.transforms)
    batched = BATCHED.get(type(transform))
    if batched is None:
        names = sorted(t.__name__ for t in BATCHED)
        raise ValueError(
            f'{type(transform).__name__} has no on-device counterpart; the '
            f'view transforms of SkeletonViewPreprocessor may be {names} '
            '(normalise in the dataset pipeline, before the views)')
    return batched(transform)


def batched_views(transforms: List) -> BatchedCompose:
    """:class:`BatchedCompose` of view transform configs, checked to start
    with a ``TemporalCropResize``: every view then has ``clip_len`` frames,
    as ``TwoViews`` requires, and the crop reads the sequences unpadded.
    (Linear maps, flips and scales commute with the crop-resize, so moving
    them after it changes nothing.)"""
    views = BatchedCompose(transforms)
    if not (views.transforms and isinstance(views.transforms[0],
                                            BatchedTemporalCropResize)):
        raise ValueError(
            'SkeletonViewPreprocessor: view_transforms must start with a '
            'TemporalCropResize, so that every view has clip_len frames; got '
            f'{[type(t.transform).__name__ for t in views.transforms]}')
    return views
