import pytest
import torch
import torch.nn.functional as F
from torch.utils._python_dispatch import TorchDispatchMode

from halp_mmaction.models import spherical_kmeans
from halp_mmaction.models.utils import kmeans_objective


def _blobs(k=5, per=40, d=16, spread=0.05, seed=0):
    g = torch.Generator().manual_seed(seed)
    centres = F.normalize(torch.randn(k, d, generator=g), dim=1)
    x = centres.repeat_interleave(per, 0) + spread * torch.randn(
        k * per, d, generator=g)
    return F.normalize(x, dim=1), centres, torch.arange(k).repeat_interleave(
        per)


def test_recovers_separated_clusters():
    torch.manual_seed(0)
    x, centres, labels = _blobs()
    cents, assign = spherical_kmeans(x, 5)
    torch.testing.assert_close(cents.norm(dim=1), torch.ones(5))
    # Each true cluster maps to exactly one found cluster.
    for c in range(5):
        assert assign[labels == c].unique().numel() == 1
    assert assign.unique().numel() == 5
    assert (cents @ centres.T).max(dim=1).values.min() > 0.99


def test_objective_beats_the_seeds():
    torch.manual_seed(1)
    x = F.normalize(torch.randn(256, 128), dim=1)
    seeds = x[:20].clone()
    cents, assign = spherical_kmeans(x, 20, init=seeds)
    assert kmeans_objective(x, cents) > kmeans_objective(x, seeds)
    torch.testing.assert_close(assign, (x @ cents.T).argmax(1))


def test_tolerance_stops_and_matches():
    torch.manual_seed(2)
    x, _, _ = _blobs()
    init = x[[0, 40, 80, 120, 160]]
    a, _ = spherical_kmeans(x, 5, num_iters=50, tol=1e-7, init=init)
    b, _ = spherical_kmeans(x, 5, num_iters=50, init=init)
    torch.testing.assert_close(a, b)


class _CountOps(TorchDispatchMode):
    def __init__(self):
        super().__init__()
        self.argmax = 0

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        self.argmax += func.overloadpacket.__name__ == 'argmax'
        return func(*args, **(kwargs or {}))


def test_stopping_when_assignments_settle_is_exact_and_shorter():
    for seed in range(5):
        x = F.normalize(torch.randn(256, 32, generator=torch.Generator()
                                    .manual_seed(seed)), dim=1)
        init = x[:20].clone()
        counts = []
        results = []
        for stop in (False, True):
            with _CountOps() as ops:
                results.append(spherical_kmeans(x, 20, num_iters=40,
                                                init=init,
                                                stop_when_settled=stop))
            counts.append(ops.argmax)
        (c_all, a_all), (c_stop, a_stop) = results
        assert torch.equal(c_all, c_stop) and torch.equal(a_all, a_stop)
        # 40 iterations and the final assignment, against a settled run.
        assert counts[0] == 41 and counts[1] < 40
    # On the CPU it is the default.
    with _CountOps() as ops:
        spherical_kmeans(x, 20, num_iters=40, init=init)
    assert ops.argmax == counts[1]


def test_empty_cluster_keeps_its_centroid():
    x = F.normalize(torch.tensor([[1.0, 0.0], [0.9, 0.1], [0.95, -0.05]]),
                    dim=1)
    far = torch.tensor([[0.0, -1.0]])
    init = torch.cat([x[:1], far])
    cents, assign = spherical_kmeans(x, 2, init=init, num_iters=3)
    torch.testing.assert_close(cents[1:], far)
    assert (assign == 0).all()


def test_bad_arguments_raise():
    x = torch.randn(8, 4)
    with pytest.raises(ValueError, match='k must be in'):
        spherical_kmeans(x, 9)
    with pytest.raises(ValueError, match='must be \\(N, D\\)'):
        spherical_kmeans(x[0], 2)
    with pytest.raises(ValueError, match='init must be'):
        spherical_kmeans(x, 2, init=torch.randn(3, 4))
