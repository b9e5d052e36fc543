"""The data preprocessor that makes the contrastive views on the device."""
from typing import List, Optional, Sequence, Tuple

import torch
from mmaction.registry import MODELS
from mmaction.utils import SampleList
from torch import Tensor

from .batched_transforms import batched_views
from .skeleton_stream_preprocessor import SkeletonStreamPreprocessor


@MODELS.register_module()
class SkeletonViewPreprocessor(SkeletonStreamPreprocessor):
    """Make the views of a training batch on the model's device.

    The per-sample pipeline (``TwoViews`` in the dataset) augments every
    sample in a worker, in NumPy; skeleton encoders are small, so on a GPU
    those workers bound an epoch. With this preprocessor the workers only
    load and normalise the sequences (the train pipeline ends
    ``FormatGCNInput``, ``PackActionInputs``, without ``TwoViews``), the
    batch's sequences are laid side by side in time on the device (no
    padding), and ``view_transforms`` (the same configs ``TwoViews`` takes)
    run on the whole batch at once through their batched counterparts
    (:mod:`.batched_transforms`), for ``num_views`` views per sample, each
    with its own draws: a crop of its own sample's valid frames, its own
    shear, corruption, rotation, flip, scale and jitter. The batch is then
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
        stream (str): As :class:`SkeletonStreamPreprocessor`.
        layout (str): As :class:`SkeletonStreamPreprocessor`.
        **kwargs: ``ActionDataPreprocessor``'s arguments.
    """

    def __init__(self,
                 view_transforms: List[dict],
                 num_views: int = 2,
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

    def make_views(self, inputs: Sequence[Tensor],
                   lengths: Sequence[int]) -> Tensor:
        """(N, num_views, M, clip_len, V, C) views of N packed (1, M, T_i,
        V, C) sequences of ``lengths`` frames.

        The sequences are not padded: they are laid side by side in time,
        and each view's crop gathers its own sequence's frames (the first
        transform is a ``TemporalCropResize``). The views are
        drawn as one batch of N * num_views, sample by sample, so that the
        result is a view of it and no copy.
        """
        # (M, sum of T, V * C): each sample's persons copied in one block.
        frames = torch.cat([x[0] for x in inputs], dim=1)
        shape = frames.shape[-2:]
        frames = frames.flatten(2)
        if self.to_float32:
            frames = frames.float()
        lengths = torch.tensor(lengths, device=frames.device)
        # Where each sequence starts, for each of its views.
        first = (lengths.cumsum(0) - lengths).repeat_interleave(self.num_views)
        lengths = lengths.repeat_interleave(self.num_views)
        crop, *others = self.views.transforms
        window = crop.draw(frames, lengths)
        views = crop.crop_frames(frames, first, window['start'],
                                 window['length'], shape)
        lengths = torch.full_like(lengths, crop.transform.clip_len)
        for transform in others:
            views, lengths = transform(views, lengths)
        return views.view(len(inputs), self.num_views, *views.shape[1:])

    def preprocess(self,
                   inputs: List[Tensor],
                   data_samples: SampleList,
                   training: bool = False) -> Tuple[Tensor, SampleList]:
        if not training:
            return super().preprocess(inputs, data_samples, training)
        lengths = self.sequence_lengths(inputs, data_samples)
        return self.make_views(inputs, lengths), data_samples

    def sequence_lengths(self, inputs: Sequence[Tensor],
                         data_samples: Optional[SampleList]) -> List[int]:
        """Each sample's frames, from its shape (no device sync), after
        checking it is one (1, M, T, V, C) sequence with T >= 1."""
        lengths = []
        for i, x in enumerate(inputs):
            if x.dim() != 5 or x.shape[0] != 1 or x.shape[2] < 1:
                name = ''
                if data_samples is not None and i < len(data_samples):
                    meta = data_samples[i].metainfo
                    name = meta.get('frame_dir', meta.get('sample_idx', ''))
                hint = (' The views are made here: drop TwoViews from the '
                        'train pipeline.' if x.dim() == 5
                        and x.shape[0] > 1 else '')
                raise ValueError(
                    f'{type(self).__name__}: training sample {i} {name} must '
                    'be one non-empty sequence (1, M, T, V, C) with T >= 1 '
                    f'from FormatGCNInput, got {tuple(x.shape)}.{hint}')
            lengths.append(x.shape[2])
        return lengths
