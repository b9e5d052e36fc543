"""The data preprocessor that makes the contrastive views on the device."""
from typing import List, Mapping, Tuple, Union

import torch
from mmaction.registry import MODELS
from mmaction.utils import SampleList
from torch import Tensor

from ...datasets.concat_sequences_collate import concat_sequences
from .batched_transforms import (batched_views, is_linear_map,
                                 per_joint_matrices)
from .fused_views import compiled_crop_and_map
from .skeleton_stream_preprocessor import SkeletonStreamPreprocessor


@MODELS.register_module()
class SkeletonViewPreprocessor(SkeletonStreamPreprocessor):
    """Make the views of a training batch on the model's device.

    The per-sample pipeline (``TwoViews`` in the dataset) augments every
    sample in a worker, in NumPy; skeleton encoders are small, so on a GPU
    those workers bound an epoch. With this preprocessor the workers only
    load and pack the sequences (the train pipeline ends
    ``FormatGCNInput``, ``PackActionInputs``, without ``TwoViews``), the
    batch's sequences are laid end to end in time, without padding (in the
    worker by :func:`~halp_mmaction.datasets.concat_sequences_collate`, or
    here from ``pseudo_collate``'s list), and ``view_transforms`` (the
    same configs ``TwoViews`` takes) run on the whole batch at once
    through their batched counterparts (:mod:`.batched_transforms`), for
    ``num_views`` views per sample, each with its own draws: a crop of its
    own sample's valid frames, its own shear, corruption, rotation, flip,
    scale and jitter. The batch is then
    (N, num_views, M, clip_len, V, C), as ``TwoViews`` gives, and the
    ``stream`` of :class:`SkeletonStreamPreprocessor` is derived from it.
    Outside training (validation, kNN, tests) the batch passes as
    :class:`SkeletonStreamPreprocessor` passes it.

    The draws come from torch's generator on the model's device, which
    mmengine seeds from ``randomness.seed`` and ``RandomStateHook`` saves in
    every checkpoint, so a resumed run continues exactly. In distributed runs
    set ``randomness.diff_rank_seed=True`` so that the ranks draw apart (the
    ``views_on_device`` config switch sets it).

    Args:
        view_transforms (list[dict]): The per-sample view transforms, as for
            ``TwoViews``; the first must be a ``TemporalCropResize``.
        num_views (int): Views per sample. Defaults to 2.
        compile_views (bool): Make the crop-resize and the linear map after
            it (a ``RandomShear``, ``RandomRotation``, ``JointCorruption`` or
            a ``RandomChoice`` among them, as in the official views) in one
            kernel compiled by ``torch.compile`` (:mod:`.fused_views`; a C++
            compiler on a CPU, Triton on a GPU). The same draws, so the same
            views to float rounding; each batch size compiles once, in
            seconds to a minute. Defaults to False.
        stream (str): As :class:`SkeletonStreamPreprocessor`.
        layout (str): As :class:`SkeletonStreamPreprocessor`.
        **kwargs: ``ActionDataPreprocessor``'s arguments.
    """

    def __init__(self,
                 view_transforms: List[dict],
                 num_views: int = 2,
                 compile_views: bool = False,
                 stream: str = 'joint',
                 layout: str = 'nturgb+d',
                 **kwargs) -> None:
        super().__init__(stream=stream, layout=layout, **kwargs)
        if not isinstance(num_views, int) or num_views < 1:
            raise ValueError(f'{type(self).__name__}: num_views must be an '
                             f'int >= 1, got {num_views!r}')
        if not isinstance(view_transforms, (list, tuple)):
            raise ValueError(f'{type(self).__name__}: view_transforms must be '
                             'a list of transform configs, got '
                             f'{view_transforms!r}')
        self.views = batched_views(list(view_transforms))
        self.num_views = num_views
        if not isinstance(compile_views, bool):
            raise ValueError(f'{type(self).__name__}: compile_views must be '
                             f'True or False, got {compile_views!r}')
        following = self.views.transforms[1:2]
        if compile_views and not (following and is_linear_map(following[0])):
            names = [type(t.transform).__name__
                     for t in self.views.transforms]
            raise ValueError(
                f'{type(self).__name__}: compile_views fuses the '
                'TemporalCropResize with the linear map right after it '
                '(RandomShear, RandomRotation, JointCorruption or a '
                f'RandomChoice among them); the view transforms are {names}')
        self.compile_views = compile_views

    def make_views(self, frames: Tensor, lengths: Tensor) -> Tensor:
        """(N, num_views, M, clip_len, V, C) views of N raw sequences laid
        end to end in time: ``frames`` (M, sum of T_i, V, C), ``lengths``
        the (N, ) T_i on the same device.

        The sequences are not padded: each view's crop gathers its own
        sequence's frames (the first transform is a
        ``TemporalCropResize``). The views are drawn as one batch of
        N * num_views, sample by sample, so that the result is a view of it
        and no copy.
        """
        shape = frames.shape[-2:]
        frames = frames.flatten(2)
        if self.to_float32:
            frames = frames.float()
        # Where each sequence starts, for each of its views.
        first = (lengths.cumsum(0) - lengths).repeat_interleave(self.num_views)
        lengths = lengths.repeat_interleave(self.num_views)
        crop, *others = self.views.transforms
        window = crop.draw(frames, lengths)
        lengths = torch.full_like(lengths, crop.transform.clip_len)
        if self.compile_views:
            views = self.crop_and_map(frames, first, window, lengths, shape)
            others = others[1:]
        else:
            views = crop.crop_frames(frames, first, window['start'],
                                     window['length'], shape)
        for transform in others:
            views, lengths = transform(views, lengths)
        return views.view(-1, self.num_views, *views.shape[1:])

    def crop_and_map(self, frames: Tensor, first: Tensor, window: dict,
                     lengths: Tensor, shape: Tuple[int, int]) -> Tensor:
        """The crop-resize and the linear map after it, in the compiled
        kernel: ``make_views``' ``frames`` (M, F, V * C), the crops'
        ``first`` frames and ``window``, their ``lengths`` after the crop;
        (B, M, clip_len, V, C) views."""
        crop, linear = self.views.transforms[:2]
        persons, total = frames.shape[:2]
        clip_len = crop.transform.clip_len
        lo, hi, weight = crop.resize_rows(first, window['start'],
                                          window['length'], persons, total)
        # The views' shape, dtype and device without the views, for the
        # draws (they read nothing else), in the same order as eager code.
        like = frames.new_empty(()).expand(len(first), persons, clip_len,
                                           *shape)
        linear.check_coords(like)
        joints, matrix = linear.draw_linear(like, lengths)
        return compiled_crop_and_map(
            frames.reshape(persons * total, -1), lo, hi, weight,
            per_joint_matrices(joints, matrix, shape[0], frames.dtype))

    def preprocess(self,
                   inputs: Union[List[Tensor], Mapping[str, Tensor]],
                   data_samples: SampleList,
                   training: bool = False) -> Tuple[Tensor, SampleList]:
        """Training: the views of the batch's raw sequences, given as the
        list of packed (1, M, T_i, V, C) samples (``pseudo_collate``) or
        already laid end to end (``concat_sequences_collate``, which the
        ``views_on_device`` switch sets). Otherwise as
        :class:`SkeletonStreamPreprocessor`."""
        name = type(self).__name__
        if isinstance(inputs, Mapping):
            if not training:
                raise ValueError(
                    f'{name}: a batch from concat_sequences_collate outside '
                    'training; that collate is for the training loader, '
                    'validation and test loaders keep pseudo_collate')
            return self.make_views(inputs['frames'],
                                   inputs['lengths']), data_samples
        if not training:
            return super().preprocess(inputs, data_samples, training)
        return self.make_views(
            *concat_sequences(inputs, data_samples, name)), data_samples
