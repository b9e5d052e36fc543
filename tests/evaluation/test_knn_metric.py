import pytest
import torch
import torch.nn.functional as F

from halp_mmaction.evaluation import KNNMetric, knn_predict


def _brute_force(bank, labels, query, k, weighted, temperature, num_classes):
    bank, query = F.normalize(bank, dim=1), F.normalize(query, dim=1)
    preds = []
    for q in query:
        sims = [(float(q @ b), int(y)) for b, y in zip(bank, labels)]
        sims.sort(key=lambda s: -s[0])
        scores = [0.0] * num_classes
        for s, y in sims[:k]:
            scores[y] += torch.exp(torch.tensor(s / temperature)).item() \
                if weighted else 1.0
        preds.append(max(range(num_classes), key=lambda c: (scores[c], -c)))
    return torch.tensor(preds)


@pytest.mark.parametrize('k, weighted', [(1, False), (5, False), (20, True),
                                         (500, True)])
def test_matches_brute_force(k, weighted):
    torch.manual_seed(0)
    bank, query = torch.randn(60, 6), torch.randn(25, 6)
    labels = torch.randint(0, 4, (60, ))
    got = knn_predict(bank, labels, query, k, weighted, 0.07, 4, chunk=7)
    want = _brute_force(bank, labels, query, min(k, 60), weighted, 0.07, 4)
    assert torch.equal(got, want)


def test_ties_go_to_the_lowest_class():
    bank = torch.tensor([[1.0, 0.0], [1.0, 0.0]])
    labels = torch.tensor([3, 1])
    pred = knn_predict(bank, labels, torch.tensor([[1.0, 0.0]]), 2)
    assert pred.item() == 1


def test_weighted_ties_go_to_the_lowest_class_and_weights_count():
    # Classes 2 and 0 at the same cosine: equal weights, a tie -> class 0.
    bank = torch.tensor([[0.0, 1.0], [1.0, 1.0], [1.0, -1.0], [-1.0, 0.0]])
    labels = torch.tensor([1, 2, 0, 1])
    query = torch.tensor([[1.0, 0.0]])
    pred = knn_predict(bank, labels, query, 4, weighted=True,
                       temperature=0.07, num_classes=3)
    assert pred.item() == 0
    # Unweighted, class 1's two far neighbours outvote them.
    assert knn_predict(bank, labels, query, 4).item() == 1


def _samples(feats, labels, bank):
    return [dict(feature=f, gt_label=torch.tensor([y]), knn_bank=bank)
            for f, y in zip(feats, labels)]


def test_metric_uses_bank_and_query_roles():
    torch.manual_seed(1)
    centres = torch.eye(3)
    bank_y = torch.arange(3).repeat(5)
    query_y = torch.tensor([0, 1, 2, 2])
    metric = KNNMetric()
    metric.process(None, _samples(centres[bank_y] + 0.01 * torch.randn(15, 3),
                                  bank_y, True))
    query = centres[query_y]
    query[-1] = centres[0]  # one wrong
    metric.process(None, _samples(query, query_y, False))
    assert metric.compute_metrics(metric.results) == {'top1': 75.0}


def test_metric_needs_both_roles_and_features():
    metric = KNNMetric()
    with pytest.raises(ValueError, match='bank and query'):
        metric.compute_metrics([(torch.zeros(2), 0, True, 's0')])
    with pytest.raises(KeyError, match='feature'):
        metric.process(None, [dict(gt_label=torch.tensor([0]))])
    with pytest.raises(ValueError, match='num_neighbors'):
        KNNMetric(num_neighbors=0)


def test_a_non_finite_feature_stops_the_metric_by_name():
    """One NaN bank feature would win every vote (topk ranks NaN first):
    the metric refuses it, naming the sample."""
    torch.manual_seed(2)
    feats, labels = torch.randn(12, 4), torch.arange(12) % 3
    metric = KNNMetric()
    samples = _samples(feats, labels, True) + _samples(
        torch.randn(4, 4), torch.arange(4) % 3, False)
    for i, sample in enumerate(samples):
        sample['frame_dir'] = f'clip_{i}'
    samples[5]['feature'] = samples[5]['feature'].clone()
    samples[5]['feature'][2] = float('nan')
    metric.process(None, samples)
    with pytest.raises(ValueError) as info:
        metric.compute_metrics(metric.results)
    assert 'KNNMetric: non-finite features for 1 of 16 samples (clip_5)' \
        in str(info.value)
    # What it would have done: every query takes the NaN sample's label.
    bank = torch.stack([s['feature'] for s in samples[:12]])
    pred = knn_predict(bank, labels, torch.randn(30, 4))
    assert (pred == labels[5]).all()
