"""InfoNCE over one positive and a queue of negatives."""
import torch
import torch.nn.functional as F
from mmaction.registry import MODELS
from mmengine.model import BaseModule
from torch import Tensor


@MODELS.register_module()
class ContrastiveHead(BaseModule):
    """InfoNCE loss of MoCo (He et al., CVPR 2020).

    The positive logit sits in column 0 of ``[pos, neg] / temperature`` and
    the loss is the cross entropy toward that column.

    Args:
        temperature (float): Softmax temperature tau. Defaults to 0.07.
        loss_weight (float): Weight of the loss. Defaults to 1.0.
    """

    def __init__(self, temperature: float = 0.07,
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        if temperature <= 0:
            raise ValueError(f'ContrastiveHead: temperature must be > 0, got '
                             f'{temperature}')
        self.temperature = temperature
        self.loss_weight = loss_weight

    def loss(self, pos: Tensor, neg: Tensor) -> Tensor:
        """Compute the InfoNCE loss.

        Args:
            pos (Tensor): (N, 1) similarity of each query to its key.
            neg (Tensor): (N, K) similarity of each query to the negatives.

        Returns:
            Tensor: The weighted scalar loss.
        """
        logits = torch.cat([pos, neg], dim=1) / self.temperature
        labels = logits.new_zeros(logits.shape[0], dtype=torch.long)
        return self.loss_weight * F.cross_entropy(logits, labels)
