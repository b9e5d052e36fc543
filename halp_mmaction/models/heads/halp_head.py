"""HaLP: hallucinated latent positives on top of MoCo."""
from typing import Dict, Optional

import torch
from mmaction.registry import MODELS
from mmengine.dist import broadcast, get_world_size
from mmengine.model import BaseModule
from torch import Tensor

from ..utils import HostMirroredCounters, hallucinate, spherical_kmeans


@MODELS.register_module()
class HaLPHead(HostMirroredCounters, BaseModule):
    """Hallucinating Latent Positives (Shah et al., CVPR 2023).

    Every ``interval`` training steps, ``num_prototypes`` prototypes are found
    by spherical k-means over the ``num_keys`` newest keys of the MoCo queue.
    For each key anchor of the batch, ``num_positives`` targets are drawn
    uniformly among the ``num_candidates`` prototypes nearest to it after its
    own nearest ``p0``, and a positive is generated on the great circle from
    the anchor toward each target with
    :func:`~halp_mmaction.models.utils.hallucinate` (the equations are in its
    module). A positive is kept only if its nearest prototype is still ``p0``
    (the rank filter). ``z`` carries no gradient. Two forms of the loss over
    the kept positives:

    * ``'official'`` (the paper's and the official code's):
      ``-loss_weight * mean(q . z) / temperature``, a pull of constant
      strength toward every positive, whatever the negatives;
    * ``'nce'``: each positive takes the place of MoCo's key in the
      contrastive softmax, against the same negatives (the queue):
      ``loss_weight * mean_z -log(exp(q.z/t) / (exp(q.z/t) +
      sum_n exp(q.n/t)))``. Its pull on ``q`` fades as ``z`` wins over the
      negatives, and it pushes ``q`` away from the negatives as MoCo's own
      loss does;
    * ``'multipos'``: one softmax per anchor with all its kept positives in
      the numerator (a multi-positive InfoNCE against the queue):
      ``loss_weight * mean_n -log(sum_z exp(q.z/t) / (sum_z exp(q.z/t) +
      sum_n exp(q.n/t)))``. Its pull goes mostly to the positives already
      nearest the query rather than to the mean of the walks toward every
      other prototype, which drags all queries toward one another.

    HaLP stays off (zero loss) while ``enabled`` is False (a schedule hook
    may switch it at a given epoch) and until ``warmup_samples`` keys have
    entered the queue, so that prototypes are computed from real keys and not from the
    queue's random initialisation. The official code waits for twice the
    queue length; the default waits for one.

    The prototypes and both counters are buffers: a resumed run continues
    with the same prototypes and schedule (the official code restarts its
    counter on resume). Counters are mirrored on the host, so the step reads
    no value back from the device.

    In distributed training every rank clusters the same queue (it receives
    the keys of all ranks), and rank 0's prototypes are then broadcast, so
    that all ranks hold the same prototypes bit for bit even when their
    random seeds differ or GPU reductions are not deterministic.

    Args:
        feat_dim (int): Size of keys and prototypes. Defaults to 128.
        num_prototypes (int): P, >= 2. Defaults to 20.
        num_keys (int): Newest queue keys clustered, >= P. Defaults to 256.
        interval (int): Refresh the prototypes every this many steps.
            Defaults to 10.
        num_positives (int): Positives generated per anchor. Defaults to 100.
        hardness (float): lambda in [0, 1]; ``u ~ U(0, lambda)`` and
            ``t = (1 - u) t_max``. Defaults to 0.8.
        loss_weight (float): mu. Defaults to 2.0 (NTU; 1.0 for PKU-MMD II).
        temperature (float): tau, as in the contrastive head. Defaults to 0.07.
        num_candidates (int, optional): How many of the nearest prototypes
            after ``p0`` may be targets. Defaults to all ``P - 1`` (what the
            official recipe's settings amount to).
        warmup_samples (int, optional): Keys that must have entered the queue
            before HaLP starts. Defaults to the queue length, set by the
            recognizer through :meth:`set_queue_len`.
        kmeans_iters (int): Lloyd iterations per refresh. Defaults to 20.
        loss_form (str): ``'official'``, ``'nce'`` or ``'multipos'`` (see
            above). Defaults to ``'official'``.
        init_cfg (dict, optional): Unused; for the BaseModule interface.
    """

    _host_counters = ('samples_seen', 'steps_since_refresh')
    LOSS_FORMS = ('official', 'nce', 'multipos')

    def __init__(self,
                 feat_dim: int = 128,
                 num_prototypes: int = 20,
                 num_keys: int = 256,
                 interval: int = 10,
                 num_positives: int = 100,
                 hardness: float = 0.8,
                 loss_weight: float = 2.0,
                 temperature: float = 0.07,
                 num_candidates: Optional[int] = None,
                 warmup_samples: Optional[int] = None,
                 kmeans_iters: int = 20,
                 loss_form: str = 'official',
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        checks = [
            (num_prototypes >= 2, 'num_prototypes must be >= 2'),
            (num_keys >= num_prototypes,
             f'num_keys ({num_keys}) must be >= num_prototypes '
             f'({num_prototypes}): k-means needs at least one key per '
             'prototype'),
            (interval >= 1, 'interval must be >= 1'),
            (num_positives >= 1, 'num_positives must be >= 1'),
            (0.0 <= hardness <= 1.0, 'hardness (lambda) must be in [0, 1]'),
            (temperature > 0, 'temperature must be > 0'),
            (kmeans_iters >= 1, 'kmeans_iters must be >= 1'),
            (num_candidates is None or 1 <= num_candidates < num_prototypes,
             f'num_candidates must be in [1, num_prototypes - 1 = '
             f'{num_prototypes - 1}]'),
            (warmup_samples is None or warmup_samples >= 0,
             'warmup_samples must be >= 0'),
            (loss_form in self.LOSS_FORMS,
             f'loss_form must be one of {self.LOSS_FORMS}, got '
             f'{loss_form!r}'),
        ]
        for ok, msg in checks:
            if not ok:
                raise ValueError(
                    f'HaLPHead: {msg}; got num_prototypes={num_prototypes}, '
                    f'num_keys={num_keys}, interval={interval}, '
                    f'num_positives={num_positives}, hardness={hardness}, '
                    f'temperature={temperature}, kmeans_iters={kmeans_iters}, '
                    f'num_candidates={num_candidates}, '
                    f'warmup_samples={warmup_samples}')
        self.num_prototypes = num_prototypes
        self.num_keys = num_keys
        self.interval = interval
        self.num_positives = num_positives
        self.hardness = hardness
        self.loss_weight = loss_weight
        self.temperature = temperature
        self.num_candidates = num_candidates or num_prototypes - 1
        self.warmup_samples = warmup_samples
        self.kmeans_iters = kmeans_iters
        self.loss_form = loss_form
        # Set by HaLPScheduleHook: HaLP on or off, and the share of
        # loss_weight reached during its ramp (plain floats, no buffers: the
        # hook derives both from the epoch and iteration alone).
        self.enabled = True
        self.weight_scale = 1.0
        self.register_buffer('prototypes',
                             torch.zeros(num_prototypes, feat_dim))
        self.register_buffer('samples_seen', torch.zeros((), dtype=torch.long))
        # -1: no prototypes yet, the next active step computes them.
        self.register_buffer('steps_since_refresh',
                             torch.full((), -1, dtype=torch.long))
        self._init_host_counters()

    def set_queue_len(self, queue_len: int) -> None:
        """Check against the recognizer's queue; default the warm-up to it."""
        if self.num_keys > queue_len:
            raise ValueError(f'HaLPHead: num_keys ({self.num_keys}) must be '
                             f'<= the queue length ({queue_len})')
        if self.warmup_samples is None:
            self.warmup_samples = queue_len

    @property
    def active(self) -> bool:
        """Whether HaLP contributes to the loss from the next step on."""
        return self.enabled and (self._get_counter('samples_seen') >=
                                 (self.warmup_samples or 0))

    @torch.no_grad()
    def refresh_prototypes(self, queue: Tensor, queue_ptr: int) -> None:
        """Cluster the ``num_keys`` newest keys of a (K, D) queue."""
        newest = torch.arange(queue_ptr - self.num_keys, queue_ptr,
                              device=queue.device) % queue.shape[0]
        centroids, _ = spherical_kmeans(queue[newest], self.num_prototypes,
                                        num_iters=self.kmeans_iters)
        self.prototypes.copy_(centroids)
        if get_world_size() > 1:
            # Every rank runs k-means anyway, so the random streams stay in
            # step; rank 0's result wins. A broadcast, not a host sync.
            broadcast(self.prototypes, src=0)

    @torch.no_grad()
    def generate(self, keys: Tensor):
        """Hallucinate positives for a batch of unit keys.

        Args:
            keys (Tensor): (N, D) unit key anchors.

        Returns:
            tuple[Tensor, Tensor]: (N, num_positives, D) unit positives and the
            (N, num_positives) boolean mask of those the rank filter keeps.
        """
        n, d = keys.shape
        protos = self.prototypes
        order = (keys @ protos.T).argsort(dim=1, descending=True)
        p0_idx = order[:, :1].expand(n, self.num_positives)
        candidates = order[:, 1:1 + self.num_candidates]
        pick = torch.randint(
            self.num_candidates, (n, self.num_positives), device=keys.device)
        target_idx = candidates.gather(1, pick)
        u = torch.rand(n * self.num_positives, device=keys.device)
        z = hallucinate(
            keys.repeat_interleave(self.num_positives, dim=0),
            protos[p0_idx.reshape(-1)], protos[target_idx.reshape(-1)],
            u * self.hardness)
        keep = (z @ protos.T).argmax(dim=1) == p0_idx.reshape(-1)
        return (z.view(n, self.num_positives, d),
                keep.view(n, self.num_positives))

    def form_loss(self, query: Tensor, positives: Tensor, keep: Tensor,
                  neg_sim: Optional[Tensor] = None) -> Tensor:
        """The loss of ``loss_form`` over the kept positives, before ``mu``.

        Args:
            query (Tensor): (N, D) unit queries.
            positives (Tensor): (N, P, D) unit positives.
            keep (Tensor): (N, P) bool, the rank filter's verdict.
            neg_sim (Tensor, optional): (N, K) similarities of the queries to
                the negatives; needed by the ``'nce'`` and ``'multipos'``
                forms.

        Returns:
            Tensor: the scalar loss (0 without a kept positive).
        """
        pos = torch.einsum('nd,npd->np', query, positives) / self.temperature
        keep = keep.to(pos.dtype)
        if self.loss_form == 'official':
            return -(pos * keep).sum() / keep.sum().clamp_min(1)
        neg = torch.logsumexp(neg_sim / self.temperature, dim=1,
                              keepdim=True)
        if self.loss_form == 'nce':
            # One softmax per positive, over it and the negatives.
            per = torch.logaddexp(pos, neg) - pos
            return (per * keep).sum() / keep.sum().clamp_min(1)
        # 'multipos': one softmax per anchor, all its kept positives in the
        # numerator; anchors without a kept positive are left out.
        masked = pos.masked_fill(keep == 0, float('-inf'))
        pos_lse = torch.logsumexp(masked, dim=1, keepdim=True)
        has = keep.sum(dim=1, keepdim=True) > 0
        per = torch.where(has, torch.logaddexp(pos_lse, neg) - pos_lse,
                          torch.zeros_like(pos_lse))
        return per.sum() / has.sum().clamp_min(1)

    def loss(self, query: Tensor, keys: Tensor, queue: Tensor, queue_ptr: int,
             num_new_keys: int,
             neg_sim: Optional[Tensor] = None) -> Dict[str, Tensor]:
        """HaLP loss for one step, before the step's keys enter the queue.

        Args:
            query (Tensor): (N, D) unit queries (with gradient).
            keys (Tensor): (N, D) unit keys of the same samples.
            queue (Tensor): (K, D) queue of past keys.
            queue_ptr (int): Index where the next key will be written.
            num_new_keys (int): Keys this step adds to the queue on all ranks.
            neg_sim (Tensor, optional): (N, K) ``query @ queue.T`` (with
                gradient), if the caller already has it; the ``'nce'`` form
                computes it otherwise.

        Returns:
            dict[str, Tensor]: ``loss_halp`` and the logged counts
            ``halp_generated`` and ``halp_kept`` and ``halp_pos_sim``, the
            mean cosine of the queries to their kept positives.
        """
        active = self.active
        self._set_counter('samples_seen',
                          self._get_counter('samples_seen') + num_new_keys)
        if not active:
            zero = query.new_zeros(())
            return dict(loss_halp=zero, halp_generated=zero,
                        halp_kept=zero, halp_pos_sim=zero)

        since = self._get_counter('steps_since_refresh')
        if since < 0 or since >= self.interval:
            self.refresh_prototypes(queue, queue_ptr)
            since = 0
        self._set_counter('steps_since_refresh', since + 1)

        positives, keep = self.generate(keys.detach())
        if self.loss_form != 'official' and neg_sim is None:
            neg_sim = query @ queue.detach().T
        loss = self.form_loss(query, positives, keep, neg_sim)
        keep = keep.to(query.dtype)
        sim = torch.einsum('nd,npd->np', query.detach(), positives)
        num_kept = keep.sum()
        denom = num_kept.clamp_min(1)
        return dict(
            loss_halp=self.loss_weight * self.weight_scale * loss,
            # new_full, not new_tensor: a host-to-device copy would
            # synchronise the stream every step.
            halp_generated=query.new_full((), float(keep.numel())),
            halp_kept=num_kept,
            halp_pos_sim=(sim.detach() * keep).sum() / denom)
