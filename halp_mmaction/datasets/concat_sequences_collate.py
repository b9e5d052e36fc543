"""The training collate for views made on the device: a batch's raw
sequences laid end to end in one tensor, in the worker."""
from typing import List, Optional, Sequence, Tuple

import torch
from mmengine.registry import FUNCTIONS
from torch import Tensor


def raw_sequence_lengths(inputs: Sequence[Tensor],
                         data_samples: Optional[Sequence],
                         owner: str) -> List[int]:
    """Each raw sequence's frames, read from its shape (no device sync),
    after checking that every sample is one non-empty (1, M, T, V, C)
    sequence from ``FormatGCNInput`` with the first sample's M, V and C.

    Raises:
        ValueError: naming ``owner``, the sample's index and its
            ``frame_dir`` (or ``sample_idx``), and what is wrong.
    """
    lengths = []
    for i, x in enumerate(inputs):
        problem = None
        if x.dim() != 5 or x.shape[0] != 1 or x.shape[2] < 1:
            problem = ('must be one non-empty sequence (1, M, T, V, C) with '
                       f'T >= 1 from FormatGCNInput, got {tuple(x.shape)}.')
            if x.dim() == 5 and x.shape[0] > 1:
                problem += (' The views are made on the device: drop '
                            'TwoViews from the train pipeline.')
        elif i and (x.shape[1], *x.shape[3:]) != (inputs[0].shape[1],
                                                  *inputs[0].shape[3:]):
            problem = (f'has (M, V, C) = {(x.shape[1], *x.shape[3:])}, '
                       f'sample 0 {(inputs[0].shape[1], *inputs[0].shape[3:])}'
                       ' (FormatGCNInput(num_person=...) pads every sample '
                       'to the same persons)')
        if problem:
            name = ''
            if data_samples is not None and i < len(data_samples):
                meta = data_samples[i].metainfo
                name = meta.get('frame_dir', meta.get('sample_idx', ''))
            raise ValueError(f'{owner}: training sample {i} {name} {problem}')
        lengths.append(x.shape[2])
    return lengths


def concat_sequences(inputs: Sequence[Tensor],
                     data_samples: Optional[Sequence],
                     owner: str) -> Tuple[Tensor, Tensor]:
    """The checked raw sequences (1, M, T_i, V, C) laid end to end:
    (M, sum of T_i, V, C) frames and the (N, ) int64 T_i on their device
    (see :func:`raw_sequence_lengths` for the checks)."""
    lengths = raw_sequence_lengths(inputs, data_samples, owner)
    frames = torch.cat([x[0] for x in inputs], dim=1)
    return frames, torch.tensor(lengths, device=frames.device)


# In mmengine's registry beside pseudo_collate: the Runner looks collates up
# there only (mmaction's child registry is not searched).
@FUNCTIONS.register_module()
def concat_sequences_collate(data_batch: Sequence[dict]) -> dict:
    """Collate a training batch of raw sequences for
    ``SkeletonViewPreprocessor`` into one block.

    mmengine's ``pseudo_collate`` keeps each sample's tensor apart, so a
    DataLoader worker hands every sample to the main process on its own
    (shared memory, a file descriptor and a pickle each): about 1 ms a
    sample, more than the views cost on the device. Here the worker does
    the concatenation the preprocessor would do first, and hands over one
    tensor per batch.

    Args:
        data_batch (list[dict]): ``PackActionInputs`` outputs, each with
            ``inputs`` a (1, M, T_i, V, C) raw sequence.

    Returns:
        dict: ``inputs`` = ``dict(frames=(M, sum of T_i, V, C) tensor,
        lengths=(N, ) int64 tensor of the T_i)`` and ``data_samples`` the
        list of the samples' data samples.
    """
    inputs = [d['inputs'] for d in data_batch]
    data_samples = [d['data_samples'] for d in data_batch]
    frames, lengths = concat_sequences(inputs, data_samples,
                                       'concat_sequences_collate')
    return dict(inputs=dict(frames=frames, lengths=lengths),
                data_samples=data_samples)
