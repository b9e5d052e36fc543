"""concat_sequences_collate: a training batch of raw sequences as one block
(the views it gives: test_skeleton_view_preprocessor.py)."""
import pytest
import torch
from mmaction.structures import ActionDataSample
from mmengine.registry import FUNCTIONS

from halp_mmaction.datasets import concat_sequences_collate

def _samples(lengths=(20, 48, 33), persons=2):
    gen = torch.Generator().manual_seed(0)
    out = []
    for i, length in enumerate(lengths):
        x = torch.randn(1, persons, length, 25, 3, generator=gen)
        out.append(dict(inputs=x, data_samples=ActionDataSample(
            metainfo=dict(frame_dir=f'seq{i}'))))
    return out


def test_the_batch_is_one_block_of_the_sequences_end_to_end():
    samples = _samples()
    batch = concat_sequences_collate(samples)
    frames, lengths = batch['inputs']['frames'], batch['inputs']['lengths']
    assert frames.shape == (2, 20 + 48 + 33, 25, 3)
    assert lengths.tolist() == [20, 48, 33] and lengths.dtype == torch.int64
    assert torch.equal(frames[:, 20:68], samples[1]['inputs'][0])
    assert [d.frame_dir for d in batch['data_samples']] == \
        ['seq0', 'seq1', 'seq2']
    assert FUNCTIONS.get('concat_sequences_collate') is \
        concat_sequences_collate


def test_a_worker_hands_over_the_block():
    data = _samples((5, 7, 9, 11))
    loader = torch.utils.data.DataLoader(
        data, batch_size=2, num_workers=1,
        collate_fn=concat_sequences_collate)
    batches = list(loader)
    assert [b['inputs']['lengths'].tolist() for b in batches] == \
        [[5, 7], [9, 11]]
    assert torch.equal(batches[1]['inputs']['frames'][:, 9:],
                       data[3]['inputs'][0])


def test_bad_samples_are_named():
    samples = _samples()
    samples[1]['inputs'] = torch.zeros(2, 2, 16, 25, 3)
    with pytest.raises(ValueError, match='training sample 1 seq1 .*drop '
                       'TwoViews'):
        concat_sequences_collate(samples)
    samples = _samples()
    samples[2]['inputs'] = torch.zeros(1, 2, 0, 25, 3)
    with pytest.raises(ValueError, match='sample 2 seq2 .*T >= 1'):
        concat_sequences_collate(samples)
    samples = _samples()
    samples[1]['inputs'] = torch.zeros(1, 1, 16, 25, 3)
    with pytest.raises(ValueError, match=r'sample 1 seq1 has \(M, V, C\) = '
                       r'\(1, 25, 3\), sample 0 \(2, 25, 3\)'):
        concat_sequences_collate(samples)
