"""How much the streams of a multi-stream encoder know in common: what
bounds the gain of their ensemble over its best stream.

A vote among the streams can only fix a sample that some stream gets
right, so the share of query samples that at least one stream classifies
correctly (the *oracle* top-1) bounds what any combination of the streams'
predictions reaches, and the streams' agreement and shared errors say how
far from it a vote is likely to land. (The averaged features are a new
feature, not a vote, so the oracle does not bound them.) Linear CKA
(Kornblith et al., ICML 2019) compares the features themselves: 1 for
features that are the same up to a rotation and a scale, near 0 for
unrelated ones.
"""
from itertools import combinations
from typing import Dict

import numpy as np


def linear_cka(x: np.ndarray, y: np.ndarray) -> float:
    """Linear CKA of two (N, C) and (N, D) features of the same samples:
    ``||Y^T X||_F^2 / (||X^T X||_F ||Y^T Y||_F)`` on centred features."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if x.ndim != 2 or y.ndim != 2 or len(x) != len(y):
        raise ValueError('linear_cka: needs (N, C) and (N, D) features of '
                         f'the same N samples, got {x.shape} and {y.shape}')
    x = x - x.mean(axis=0)
    y = y - y.mean(axis=0)
    denom = np.linalg.norm(x.T @ x) * np.linalg.norm(y.T @ y)
    if denom == 0:
        raise ValueError('linear_cka: a feature is constant over the samples')
    return float(np.linalg.norm(y.T @ x) ** 2 / denom)


def stream_agreement(predictions: Dict[str, np.ndarray],
                     labels: np.ndarray) -> dict:
    """The streams' predictions of the same samples compared.

    Args:
        predictions (dict): stream -> (N, ) predicted classes.
        labels (np.ndarray): (N, ) true classes.

    Returns:
        dict: ``top1`` per stream; ``oracle_top1``, the share (%) of samples
        that at least one stream gets right; ``pairs``: for each pair of
        streams ``'a/b'``, ``agree`` (% of samples with the same prediction)
        and ``both_wrong`` (% wrong in both).
    """
    labels = np.asarray(labels)
    predictions = {s: np.asarray(p) for s, p in predictions.items()}
    for stream, pred in predictions.items():
        if pred.shape != labels.shape:
            raise ValueError(f'stream_agreement: {stream} has {pred.shape} '
                             f'predictions for {labels.shape} labels')
    if len(predictions) < 2:
        raise ValueError('stream_agreement: needs two streams or more, got '
                         f'{list(predictions)}')
    right = {s: p == labels for s, p in predictions.items()}

    def share(mask) -> float:
        return round(float(np.mean(mask)) * 100, 2)

    pairs = {}
    for a, b in combinations(predictions, 2):
        pairs[f'{a}/{b}'] = dict(agree=share(predictions[a] == predictions[b]),
                                 both_wrong=share(~right[a] & ~right[b]))
    return dict(top1={s: share(r) for s, r in right.items()},
                oracle_top1=share(np.any(np.stack(list(right.values())),
                                         axis=0)),
                pairs=pairs)
