"""A linear classifier on pooled skeleton features of any backbone."""
from typing import Dict, List, Union

import torch
import torch.nn as nn
from mmaction.models.heads.base import BaseHead
from mmaction.registry import MODELS

from ..recognizers.skeleton_moco import SkeletonMoCo


@MODELS.register_module()
class SkeletonLinearHead(BaseHead):
    """Linear classifier on the pooled feature of any skeleton backbone.

    MMAction2's ``GCNHead`` takes only (N, M, C, T, V) graph-backbone maps.
    This head also takes the (N, C) features of sequence models (the BiGRU),
    and pools graph maps exactly as ``SkeletonMoCo`` does for its contrastive
    and kNN features (mean over time and joints, then persons), so the
    linear probe classifies the feature that was pretrained. The linear layer
    starts from N(0, 0.01) weights and zero bias, as the official linear
    evaluation.

    Args:
        num_classes (int): Number of classes.
        in_channels (int): Channels of the backbone's feature.
        loss_cls (dict): Defaults to ``dict(type='CrossEntropyLoss')``.
        dropout (float): Dropout before the linear layer. Defaults to 0.
        average_clips (str): How to average the scores of several clips at
            test time. Defaults to 'prob'.
        init_cfg (dict or list[dict]): Defaults to
            ``dict(type='Normal', layer='Linear', std=0.01)``.
    """

    def __init__(self,
                 num_classes: int,
                 in_channels: int,
                 loss_cls: Dict = dict(type='CrossEntropyLoss'),
                 dropout: float = 0.,
                 average_clips: str = 'prob',
                 init_cfg: Union[Dict, List[Dict]] = dict(
                     type='Normal', layer='Linear', std=0.01),
                 **kwargs) -> None:
        super().__init__(
            num_classes,
            in_channels,
            loss_cls=loss_cls,
            average_clips=average_clips,
            init_cfg=init_cfg,
            **kwargs)
        self.dropout = nn.Dropout(p=dropout) if dropout else None
        self.fc = nn.Linear(in_channels, num_classes)

    def forward(self, x: torch.Tensor, **kwargs) -> torch.Tensor:
        """Class scores (N, num_classes) of (N, M, C, T, V) or (N, C)
        backbone features."""
        x = SkeletonMoCo.pool(x)
        if x.shape[1] != self.in_channels:
            raise ValueError(f'SkeletonLinearHead: expected {self.in_channels}'
                             f'-d features, got {tuple(x.shape)}')
        if self.dropout is not None:
            x = self.dropout(x)
        return self.fc(x)
