"""A skeleton classifier on a frozen encoder: the linear-evaluation protocol."""
from mmaction.models import RecognizerGCN
from mmaction.registry import MODELS


@MODELS.register_module()
class FrozenBackboneRecognizer(RecognizerGCN):
    """MMAction2's ``RecognizerGCN`` with its backbone frozen.

    Linear evaluation trains only the classifier on top of a pretrained
    encoder. Freezing the weights is not enough: a backbone in train mode
    would still update its batch-norm running statistics (and apply dropout)
    on the labelled data. Here the backbone's parameters never require
    gradients and the backbone stays in eval mode whatever ``train()`` is
    called with (mmengine's loops call ``model.train()`` at every epoch), so
    the encoder after probing is bit-identical to the pretrained one; only
    ``cls_head`` learns.

    The arguments, the weight names (``backbone.*``, ``cls_head.*``) and the
    input convention (N, num_clips, M, T, V, C) are those of
    ``RecognizerGCN``: a ``SkeletonMoCo`` checkpoint's query encoder
    (``backbone.*``) loads into the backbone with
    ``init_cfg=dict(type='Pretrained', checkpoint=CKPT, prefix='backbone.')``.
    Use ``GCNHead`` for graph backbones (ST-GCN) and ``SkeletonLinearHead``
    for the BiGRU's (N, C) features.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.backbone.requires_grad_(False)
        self.backbone.eval()

    def train(self, mode: bool = True) -> 'FrozenBackboneRecognizer':
        """Set the train mode of everything but the backbone, which stays
        in eval mode (frozen batch-norm statistics, no dropout)."""
        super().train(mode)
        self.backbone.eval()
        return self
