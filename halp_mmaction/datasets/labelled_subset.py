"""A seeded labelled subset of a training set, for semi-supervised
evaluation."""
import copy
from typing import Sequence, Union

import numpy as np
from mmaction.registry import DATASETS
from mmengine.dataset import BaseDataset
from mmengine.logging import print_log


def labelled_subset_indices(labels: Sequence[int],
                            ratio: float,
                            seed: int = 0,
                            balanced: bool = True) -> np.ndarray:
    """Indices of a ``ratio`` share of a labelled set.

    The subset has exactly ``n = max(1, round(ratio * N))`` samples.
    Class-balanced (the default): every class keeps the same share of its own
    samples (the subset has the label distribution of the full set), each
    class at least one, quotas rounded by largest remainder so that they add
    up to ``n`` exactly; within a class the samples are drawn at random.
    Uniform: ``n`` samples drawn at random from the whole set, as the official
    HaLP / CMD semi-supervised feeders do, so rare classes may be absent.
    The same ``(labels, ratio, seed, balanced)`` always gives the same subset.

    Args:
        labels (Sequence[int]): Label of every sample.
        ratio (float): Share of the set to keep, in (0, 1].
        seed (int): Seed of the draw. Defaults to 0.
        balanced (bool): Class-balanced or uniform. Defaults to True.

    Returns:
        np.ndarray: Sorted int64 indices into ``labels``.
    """
    labels = np.asarray(labels).reshape(-1)
    num = len(labels)
    if not 0 < ratio <= 1:
        raise ValueError(f'labelled_subset_indices: ratio must be in (0, 1], '
                         f'got {ratio}')
    if num == 0:
        raise ValueError('labelled_subset_indices: no sample to choose from')
    size = max(1, int(round(ratio * num)))
    rng = np.random.default_rng(seed)
    if not balanced:
        return np.sort(rng.permutation(num)[:size]).astype(np.int64)

    classes, counts = np.unique(labels, return_counts=True)
    if size < len(classes):
        raise ValueError(
            f'labelled_subset_indices: a class-balanced {ratio:.2%} of '
            f'{num} samples is {size} samples, fewer than the '
            f'{len(classes)} classes; use a larger ratio or balanced=False')
    # Each class its share, at least one; the samples still missing go to
    # the largest fractional remainders (surplus ones come off the smallest).
    share = counts * (size / num)
    quota = np.clip(np.floor(share), 1, counts).astype(np.int64)
    order = np.argsort(-(share - np.floor(share)), kind='stable')
    # One pass is enough: the deficit is below the number of classes with a
    # fractional remainder, each of which can still take one more.
    eligible = order[quota[order] < counts[order]]
    quota[eligible[:max(0, size - quota.sum())]] += 1
    while quota.sum() > size:
        for c in order[::-1]:
            if quota.sum() > size and quota[c] > 1:
                quota[c] -= 1
    chosen = [
        rng.permutation(np.flatnonzero(labels == c))[:q]
        for c, q in zip(classes, quota)
    ]
    return np.sort(np.concatenate(chosen)).astype(np.int64)


@DATASETS.register_module()
class LabelledSubsetDataset:
    """A seeded labelled share of a dataset (semi-supervised protocol).

    Wraps a dataset like mmengine's ``ClassBalancedDataset`` or
    ``RepeatDataset`` and exposes only the samples chosen by
    :func:`labelled_subset_indices` from the ``label`` of every data info.

    Args:
        dataset (dict or BaseDataset): The full labelled training set.
        ratio (float): Share to keep, in (0, 1], e.g. 0.01 for 1 %.
        seed (int): Seed of the draw; the semi-supervised tool repeats a run
            over several seeds. Defaults to 0.
        balanced (bool): Class-balanced (default) or uniform draw.
        lazy_init (bool): Defer loading the dataset. Defaults to False.
    """

    def __init__(self,
                 dataset: Union[BaseDataset, dict],
                 ratio: float,
                 seed: int = 0,
                 balanced: bool = True,
                 lazy_init: bool = False) -> None:
        if isinstance(dataset, dict):
            self.dataset = DATASETS.build(dataset)
        elif isinstance(dataset, BaseDataset):
            self.dataset = dataset
        else:
            raise TypeError('LabelledSubsetDataset: dataset must be a dict or '
                            f'a BaseDataset, got {type(dataset).__name__}')
        self.ratio = ratio
        self.seed = seed
        self.balanced = balanced
        self._metainfo = self.dataset.metainfo
        self._fully_initialized = False
        if not lazy_init:
            self.full_init()

    @property
    def metainfo(self) -> dict:
        return copy.deepcopy(self._metainfo)

    def full_init(self) -> None:
        if self._fully_initialized:
            return
        self.dataset.full_init()
        labels = [
            int(np.asarray(self.dataset.get_data_info(i)['label']).reshape(-1)
                [0]) for i in range(len(self.dataset))
        ]
        self.indices = labelled_subset_indices(labels, self.ratio, self.seed,
                                               self.balanced)
        chosen = np.asarray(labels)[self.indices]
        print_log(
            f'LabelledSubsetDataset: {len(self.indices)} of {len(labels)} '
            f'samples ({self.ratio:.2%}, seed {self.seed}, '
            f'{"class-balanced" if self.balanced else "uniform"}), '
            f'{len(np.unique(chosen))} of {len(np.unique(labels))} classes',
            logger='current')
        self._fully_initialized = True

    def get_data_info(self, idx: int) -> dict:
        self.full_init()
        return self.dataset.get_data_info(int(self.indices[idx]))

    def __getitem__(self, idx: int) -> dict:
        self.full_init()
        return self.dataset[int(self.indices[idx])]

    def __len__(self) -> int:
        self.full_init()
        return len(self.indices)
