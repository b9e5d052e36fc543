"""Pooling of skeleton-backbone outputs to one feature vector per sample,
shared by the pretraining model, the linear head and feature extraction so
that all of them see the same feature."""
from typing import Union

from torch import Tensor, nn


def pool_skeleton_features(feat: Union[Tensor, tuple]) -> Tensor:
    """Average a backbone output to one vector per sample.

    Accepts (N, M, C, T, V) graph-backbone maps (ST-GCN and friends: mean
    over time and joints, then persons) and (N, C) sequence-model features
    (the BiGRU); of a tuple of outputs, the last.
    """
    if isinstance(feat, (tuple, list)):
        feat = feat[-1]
    if feat.dim() == 5:
        return feat.mean(dim=(3, 4)).mean(dim=1)
    if feat.dim() == 2:
        return feat
    raise ValueError('SkeletonMoCo: the backbone must return (N, M, C, T, '
                     f'V) or (N, C) features, got {tuple(feat.shape)}')


def clip_pooled_features(backbone: nn.Module, inputs: Tensor) -> Tensor:
    """A backbone's pooled features of (N, num_clips, M, T, V, C) inputs,
    averaged over clips: (N, C)."""
    n, clips = inputs.shape[:2]
    feat = pool_skeleton_features(backbone(inputs.flatten(0, 1)))
    return feat.view(n, clips, -1).mean(dim=1)
