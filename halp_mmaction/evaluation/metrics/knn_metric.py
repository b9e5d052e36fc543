"""k-nearest-neighbour classification of learned features."""
from typing import Dict, List, Optional, Sequence

import torch
import torch.nn.functional as F
from mmaction.registry import METRICS
from mmengine.evaluator import BaseMetric
from torch import Tensor

from ..features import check_finite_features


def knn_predict(bank: Tensor, bank_labels: Tensor, query: Tensor,
                num_neighbors: int = 1, weighted: bool = False,
                temperature: float = 0.07, num_classes: Optional[int] = None,
                chunk: int = 1024) -> Tensor:
    """Cosine kNN labels of ``query`` rows against a labelled ``bank``.

    Each of the ``k = min(num_neighbors, len(bank))`` nearest bank rows votes
    for its label, with weight 1, or ``exp(cos / temperature)`` when
    ``weighted`` (Wu et al., 2018). Ties go to the lowest class index.

    Args:
        bank (Tensor): (N, C) features. bank_labels (Tensor): (N, ) ints.
        query (Tensor): (Q, C) features.
        num_neighbors (int): k >= 1. weighted (bool): see above.
        temperature (float): Vote temperature when weighted.
        num_classes (int, optional): Defaults to max label + 1.
        chunk (int): Query rows per similarity block (bounds memory).

    Returns:
        Tensor: (Q, ) predicted labels.
    """
    bank = F.normalize(bank.float(), dim=1)
    query = F.normalize(query.float(), dim=1)
    num_classes = num_classes or int(bank_labels.max()) + 1
    k = min(num_neighbors, bank.shape[0])
    preds = []
    for q in query.split(chunk):
        sim, idx = (q @ bank.T).topk(k, dim=1)
        votes = torch.exp(sim / temperature) if weighted else \
            torch.ones_like(sim)
        scores = torch.zeros(q.shape[0], num_classes).scatter_add_(
            1, bank_labels[idx], votes)
        preds.append(scores.argmax(dim=1))
    return torch.cat(preds)


@METRICS.register_module()
class KNNMetric(BaseMetric):
    """Top-1 accuracy of a cosine kNN classifier on learned features.

    Features are the ``feature`` field the model's ``predict`` mode puts on
    each data sample (``SkeletonMoCo`` does); a non-finite one stops the
    evaluation, naming its sample (``frame_dir``), instead of winning every
    nearest-neighbour vote. Samples whose metainfo has
    ``knn_bank=True`` (see ``KNNEvalDataset``) form the labelled bank, the
    others are classified against it. ``num_neighbors=1`` is the 1-NN the
    skeleton SSL papers report; ``num_neighbors=20, weighted=True`` the
    weighted kNN of instance discrimination.

    Args:
        num_neighbors (int): k. Defaults to 1.
        weighted (bool): Weight votes by ``exp(cos / temperature)``.
            Defaults to False.
        temperature (float): Defaults to 0.07.
        collect_device (str): Defaults to 'cpu'.
        prefix (str, optional): Defaults to 'knn'.
    """

    default_prefix = 'knn'

    def __init__(self,
                 num_neighbors: int = 1,
                 weighted: bool = False,
                 temperature: float = 0.07,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        if num_neighbors < 1:
            raise ValueError(f'KNNMetric: num_neighbors must be >= 1, got '
                             f'{num_neighbors}')
        if temperature <= 0:
            raise ValueError(f'KNNMetric: temperature must be > 0, got '
                             f'{temperature}')
        self.num_neighbors = num_neighbors
        self.weighted = weighted
        self.temperature = temperature

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        for sample in data_samples:
            if 'feature' not in sample:
                raise KeyError('KNNMetric: data samples carry no `feature`; '
                               "the model's predict mode must set it")
            self.results.append(
                (sample['feature'].detach().float().cpu(),
                 int(sample['gt_label'].reshape(-1)[0]),
                 bool(sample.get('knn_bank', False)),
                 sample.get('frame_dir', f'#{len(self.results)}')))

    def compute_metrics(self, results: List) -> Dict[str, float]:
        feats = torch.stack([r[0] for r in results])
        check_finite_features(feats.numpy(), [r[3] for r in results],
                              'KNNMetric')
        bank = [(f, y) for f, y, is_bank, _ in results if is_bank]
        query = [(f, y) for f, y, is_bank, _ in results if not is_bank]
        if not bank or not query:
            raise ValueError(
                f'KNNMetric: needs bank and query samples, got {len(bank)} '
                f'bank and {len(query)} query; evaluate on a KNNEvalDataset')
        bank_feat = torch.stack([f for f, _ in bank])
        bank_labels = torch.tensor([y for _, y in bank])
        query_labels = torch.tensor([y for _, y in query])
        num_classes = int(max(bank_labels.max(), query_labels.max())) + 1
        pred = knn_predict(bank_feat, bank_labels,
                           torch.stack([f for f, _ in query]),
                           self.num_neighbors, self.weighted,
                           self.temperature, num_classes)
        return dict(top1=(pred == query_labels).float().mean().item() * 100)
