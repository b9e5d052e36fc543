"""A linear classifier on pooled skeleton features of any backbone."""
import torch
from mmaction.models.heads import GCNHead
from mmaction.registry import MODELS

from ..utils import pool_skeleton_features


@MODELS.register_module()
class SkeletonLinearHead(GCNHead):
    """Linear classifier on the pooled feature of any skeleton backbone.

    MMAction2's ``GCNHead`` takes only (N, M, C, T, V) graph-backbone maps.
    This head, ``GCNHead`` with another ``forward``, also takes the (N, C)
    features of sequence models (the BiGRU), and pools graph maps exactly as
    ``SkeletonMoCo`` does for its contrastive and kNN features (mean over
    time and joints, then persons), so the linear probe classifies the
    feature that was pretrained. Arguments and initialisation (N(0, 0.01)
    weights, zero bias, as the official linear evaluation) are
    ``GCNHead``'s: ``num_classes``, ``in_channels``, ``loss_cls``,
    ``dropout``, ``average_clips``, ``init_cfg``.
    """

    def forward(self, x: torch.Tensor, **kwargs) -> torch.Tensor:
        """Class scores (N, num_classes) of (N, M, C, T, V) or (N, C)
        backbone features."""
        x = pool_skeleton_features(x)
        if x.shape[1] != self.in_channels:
            raise ValueError(f'SkeletonLinearHead: expected {self.in_channels}'
                             f'-d features, got {tuple(x.shape)}')
        if self.dropout is not None:
            x = self.dropout(x)
        return self.fc(x)
