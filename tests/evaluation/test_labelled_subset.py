"""Labelled subsets for the semi-supervised protocol: exact sizes, every
class when balanced, the same subset for the same seed."""
import numpy as np
import pytest
from mmaction.registry import DATASETS

from halp_mmaction.datasets import (LabelledSubsetDataset,
                                    labelled_subset_indices)

# 1,000 samples, 20 classes of unequal size (80 down to 20).
LABELS = np.repeat(np.arange(20), np.linspace(80, 20, 20).round().astype(int))
LABELS = np.concatenate([LABELS, np.zeros(1000 - len(LABELS), int)])
RNG_ORDER = np.random.default_rng(1).permutation(len(LABELS))
LABELS = LABELS[RNG_ORDER]  # classes interleaved, as in a real file


@pytest.mark.parametrize('ratio', [0.01, 0.05, 0.1, 0.2])
@pytest.mark.parametrize('balanced', [True, False])
def test_subset_has_exactly_the_share(ratio, balanced):
    if balanced and ratio * len(LABELS) < 20:
        with pytest.raises(ValueError, match='fewer than the 20 classes'):
            labelled_subset_indices(LABELS, ratio, 0, balanced)
        return
    idx = labelled_subset_indices(LABELS, ratio, 0, balanced)
    assert len(idx) == round(ratio * len(LABELS))
    assert len(np.unique(idx)) == len(idx)  # no duplicates
    assert idx.min() >= 0 and idx.max() < len(LABELS)


@pytest.mark.parametrize('ratio', [0.05, 0.1, 0.2])
def test_balanced_subset_keeps_every_class_in_proportion(ratio):
    idx = labelled_subset_indices(LABELS, ratio, seed=3)
    counts = np.bincount(LABELS[idx], minlength=20)
    full = np.bincount(LABELS, minlength=20)
    assert (counts >= 1).all()
    # Each class within one sample of its share of its own samples.
    assert np.abs(counts - full * ratio).max() < 1 + 1e-9


def test_uniform_subset_may_miss_classes_balanced_never():
    labels = np.array([0] * 95 + [1] * 3 + [2] * 2)
    missing = [len(np.unique(labels[labelled_subset_indices(
        labels, 0.05, s, balanced=False)])) < 3 for s in range(20)]
    assert any(missing)
    for seed in range(20):
        idx = labelled_subset_indices(labels, 0.05, seed)
        assert set(labels[idx]) == {0, 1, 2} and len(idx) == 5


def test_same_seed_same_subset_other_seed_other_subset():
    a = labelled_subset_indices(LABELS, 0.1, seed=7)
    np.testing.assert_array_equal(a, labelled_subset_indices(LABELS, 0.1, 7))
    assert not np.array_equal(a, labelled_subset_indices(LABELS, 0.1, 8))
    u = labelled_subset_indices(LABELS, 0.1, 7, balanced=False)
    np.testing.assert_array_equal(
        u, labelled_subset_indices(LABELS, 0.1, 7, balanced=False))


def test_full_ratio_and_bad_ratios():
    assert len(labelled_subset_indices(LABELS, 1.0)) == len(LABELS)
    for ratio in (0, -0.1, 1.5):
        with pytest.raises(ValueError, match='ratio'):
            labelled_subset_indices(LABELS, ratio)


def test_dataset_wrapper_serves_the_subset():
    demo = dict(type='DemoSkeletonDataset', num_subjects=4, repeats=1,
                split='xsub_train', pipeline=[])
    full = DATASETS.build(demo)
    subset = DATASETS.build(dict(type='LabelledSubsetDataset', dataset=demo,
                                 ratio=1 / 3, seed=0))
    assert isinstance(subset, LabelledSubsetDataset)
    labels = [full.get_data_info(i)['label'] for i in range(len(full))]
    expected = labelled_subset_indices(labels, 1 / 3, 0)
    assert len(subset) == len(expected) == 12
    assert sorted(subset.get_data_info(i)['label']
                  for i in range(len(subset))) == list(range(12))
    for i, j in enumerate(expected):
        assert subset[i]['frame_dir'] == full[int(j)]['frame_dir']
    assert subset.metainfo['classes'] == full.metainfo['classes']
