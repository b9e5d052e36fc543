"""What a contrastive embedding looks like: the measures behind the HaLP
diagnosis (docs/halp_small_data.md) and ``tools/analysis/halp_diagnostics.py``.

* alignment (Wang & Isola, ICML 2020): ``E ||f(x) - f(x')||^2`` over the two
  views of a sample, lower is better aligned;
* uniformity: ``log E exp(-2 ||f(x) - f(y)||^2)`` over pairs of samples,
  lower is more uniform on the sphere; an embedding collapsing onto a few
  points drives it toward 0;
* the prototypes' spread: their mean pairwise cosine, and how many samples
  each one holds;
* the gradient ratio: the size of the HaLP loss's gradient on the encoder
  against the MoCo loss's, which says which of the two steers training.
"""
from typing import Dict

import torch
import torch.nn.functional as F
from torch import Tensor


def alignment(query: Tensor, key: Tensor) -> float:
    """Mean squared distance between the unit embeddings of two views."""
    query, key = F.normalize(query, dim=1), F.normalize(key, dim=1)
    return float((query - key).pow(2).sum(dim=1).mean())


def uniformity(embedding: Tensor, t: float = 2.0) -> float:
    """``log E exp(-t ||z_i - z_j||^2)`` over the distinct pairs i < j."""
    embedding = F.normalize(embedding, dim=1)
    dist = torch.pdist(embedding).pow(2)
    return float(torch.logsumexp(-t * dist, dim=0) - torch.log(
        torch.tensor(float(dist.numel()))))


def prototype_stats(prototypes: Tensor, embedding: Tensor) -> Dict:
    """Mean pairwise cosine of the prototypes and the share of ``embedding``
    rows nearest to each (largest and smallest)."""
    protos = F.normalize(prototypes, dim=1)
    cos = protos @ protos.T
    off = cos[~torch.eye(len(protos), dtype=torch.bool)]
    nearest = (F.normalize(embedding, dim=1) @ protos.T).argmax(dim=1)
    share = torch.bincount(nearest, minlength=len(protos)).float() / len(
        nearest)
    return dict(prototype_mean_cos=float(off.mean()),
                largest_cluster_share=float(share.max()),
                smallest_cluster_share=float(share.min()))


def gradient_ratio(loss_a: Tensor, loss_b: Tensor, params) -> float:
    """``||d loss_a / d params|| / ||d loss_b / d params||``."""
    params = [p for p in params if p.requires_grad]

    def norm(loss):
        grads = torch.autograd.grad(loss, params, retain_graph=True,
                                    allow_unused=True)
        return torch.sqrt(sum((g.pow(2).sum() for g in grads
                               if g is not None), torch.tensor(0.)))

    return float(norm(loss_a) / norm(loss_b).clamp_min(1e-12))
