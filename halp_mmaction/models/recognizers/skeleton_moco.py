"""MoCo v2 on skeleton sequences, with optional HaLP positives."""
import copy
import math
from typing import Dict, List, NamedTuple, Optional, Tuple, Union

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmaction.registry import MODELS
from mmaction.utils import OptSampleList
from mmengine.dist import all_gather, broadcast, get_rank, get_world_size
from torch import Tensor

from ..utils import (HostMirroredCounters, clip_pooled_features,
                     pool_skeleton_features)
from .pretraining_model import PretrainingModel


class Contrast(NamedTuple):
    """What one MoCo step computed, for :meth:`SkeletonMoCo.contrast`."""
    query: Tensor  # (N, D) unit queries, with gradient
    keys: Tensor  # (N, D) this rank's unit keys
    all_keys: Tensor  # (W * N, D) every rank's keys, for the queue
    queue: Tensor  # (K, D) the queue before these keys enter it
    neg_sim: Tensor  # (N, K) query . queue
    losses: Dict[str, Tensor]


@MODELS.register_module()
class SkeletonMoCo(HostMirroredCounters, PretrainingModel):
    """Momentum contrast (MoCo v2) for skeleton encoders, with HaLP.

    Any MMAction2 skeleton backbone (input (N, M, T, V, C)) is pooled over
    time, joints and persons, projected by ``neck`` and L2-normalised into
    the contrastive space. A momentum copy of backbone and neck encodes the
    key view; :class:`~halp_mmaction.engine.MomentumUpdateHook` updates it
    after every step. Past keys wait in a queue (a buffer, like its pointer)
    as negatives for the InfoNCE loss of ``head``. With ``halp_head`` the
    step adds the HaLP loss on hallucinated positives.

    Inputs follow MMAction2's multi-clip convention: a batch is
    (N, 2, M, T, V, C) with the query view in clip 0 and the key view in
    clip 1 (see the ``TwoViews`` transform). The query encoder's weights are
    ``backbone.*``, the names MMAction2's ``RecognizerGCN`` uses, so a
    pretraining checkpoint loads into a classifier as it is.

    Distributed training: the keys of all ranks enter every rank's queue,
    so the queues stay identical. With ``shuffle_bn`` the key view is
    shuffled across ranks before the key encoder and unshuffled after it
    (MoCo's shuffle BN): the key encoder's batch-norm statistics then come
    from other samples than the query's, which keeps the model from telling
    the positive apart by them. Every rank must see the same batch size
    (``drop_last=True``).

    Args:
        backbone (dict): Skeleton backbone config, e.g. ``STGCN``.
        neck (dict): Projection config, e.g. ``ProjectionMLP``.
        head (dict): Contrastive loss config. Defaults to
            ``ContrastiveHead(temperature=0.07)``.
        halp_head (dict, optional): ``HaLPHead`` config (``type`` and
            ``feat_dim`` may be left out); None trains plain MoCo.
            Defaults to None.
        queue_len (int): Number of negative keys K. Defaults to 16384.
        feat_dim (int): Size of the contrastive space. Defaults to 128.
        shuffle_bn (bool): Shuffle the key view across ranks (a no-op in a
            single process). Turn it off when the config converts the model
            to SyncBN (``sync_bn = 'torch'``). Defaults to True.
        data_preprocessor (dict, optional): Defaults to
            ``ActionDataPreprocessor``.
        init_cfg (dict or list[dict], optional): Initialisation config.
    """

    _host_counters = ('queue_ptr', )

    def __init__(self,
                 backbone: dict,
                 neck: dict,
                 head: dict = dict(type='ContrastiveHead', temperature=0.07),
                 halp_head: Optional[dict] = None,
                 queue_len: int = 16384,
                 feat_dim: int = 128,
                 shuffle_bn: bool = True,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[Union[dict, List[dict]]] = None) -> None:
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        if queue_len < 1:
            raise ValueError(f'SkeletonMoCo: queue_len must be >= 1, got '
                             f'{queue_len}')
        self.backbone = MODELS.build(backbone)
        self.neck = MODELS.build(neck)
        self.head = MODELS.build(head)
        self.halp_head = None
        if halp_head is not None:
            self.halp_head = MODELS.build(
                {**dict(type='HaLPHead', feat_dim=feat_dim), **halp_head})
            self.halp_head.set_queue_len(queue_len)

        self.key_backbone = copy.deepcopy(self.backbone)
        self.key_neck = copy.deepcopy(self.neck)
        for param in self.key_parameters():
            param.requires_grad = False

        self.queue_len = queue_len
        self.shuffle_bn = shuffle_bn
        self.register_buffer(
            'queue', F.normalize(torch.randn(queue_len, feat_dim), dim=1))
        self.register_buffer('queue_ptr', torch.zeros((), dtype=torch.long))
        self._init_host_counters()

    # -- momentum encoder ------------------------------------------------
    def query_parameters(self) -> List[nn.Parameter]:
        return [*self.backbone.parameters(), *self.neck.parameters()]

    def key_parameters(self) -> List[nn.Parameter]:
        return [*self.key_backbone.parameters(), *self.key_neck.parameters()]

    def init_weights(self) -> None:
        """Initialise the query encoder and start the key encoder equal to it."""
        super().init_weights()
        with torch.no_grad():
            torch._foreach_copy_(self.key_parameters(),
                                 self.query_parameters())

    @torch.no_grad()
    def momentum_update(self, momentum: float) -> None:
        """``key = momentum * key + (1 - momentum) * query``, parameters only.

        The key encoder's batch-norm statistics stay its own, as in MoCo.
        """
        torch._foreach_lerp_(self.key_parameters(), self.query_parameters(),
                             1.0 - momentum)

    # -- encoding ----------------------------------------------------------
    # The pooled feature (also that of the linear head and of kNN).
    pool = staticmethod(pool_skeleton_features)

    def extract_feat(self, inputs: Tensor) -> Tensor:
        """Pooled query-backbone features of (N, num_clips, M, T, V, C) inputs,
        averaged over clips: (N, C)."""
        self._check_inputs(inputs)
        return clip_pooled_features(self.backbone, inputs)

    @staticmethod
    def _check_inputs(inputs: Tensor, num_clips: Optional[int] = None) -> None:
        if inputs.dim() != 6 or (num_clips and inputs.shape[1] != num_clips):
            want = f'(N, {num_clips or "clips"}, M, T, V, C)'
            hint = (' Wrap the view transforms in TwoViews so each sample '
                    'carries a query and a key view.' if num_clips else '')
            raise ValueError(f'SkeletonMoCo: inputs must be {want}, got '
                             f'{tuple(inputs.shape)}.{hint}')

    # -- keys ----------------------------------------------------------------
    @torch.no_grad()
    def encode_keys(self, key_view: Tensor) -> Tuple[Tensor, Tensor]:
        """Unit keys of this rank's (N, M, T, V, C) key views.

        Returns:
            tuple[Tensor, Tensor]: this rank's (N, D) keys and the (W * N, D)
            keys of all W ranks in rank order (the same tensor in a single
            process).
        """
        world_size = get_world_size()
        if world_size == 1:
            keys = self._key_encoder(key_view)
            return keys, keys
        if not self.shuffle_bn:
            keys = self._key_encoder(key_view)
            return keys, torch.cat(all_gather(keys))
        # Shuffle BN: rank r encodes the global samples perm[r*N:(r+1)*N].
        # Gathering the keys back and indexing by perm.argsort() restores
        # the global order, which is also what the queue needs.
        n, rank = key_view.shape[0], get_rank()
        perm = torch.randperm(n * world_size, device=key_view.device)
        broadcast(perm, src=0)
        mine = perm[rank * n:(rank + 1) * n]
        # key_view is a strided slice of the batch; NCCL needs contiguous.
        shuffled = torch.cat(all_gather(key_view.contiguous()))[mine]
        all_keys = torch.cat(all_gather(self._key_encoder(shuffled)))
        all_keys = all_keys[perm.argsort()]
        return all_keys[rank * n:(rank + 1) * n], all_keys

    def _key_encoder(self, key_view: Tensor) -> Tensor:
        return F.normalize(
            self.key_neck(self.pool(self.key_backbone(key_view))), dim=1)

    # -- queue ---------------------------------------------------------------
    @torch.no_grad()
    def enqueue(self, keys: Tensor) -> None:
        ptr = self._get_counter('queue_ptr')
        slots = torch.arange(ptr, ptr + keys.shape[0],
                             device=keys.device) % self.queue_len
        self.queue.index_copy_(0, slots, keys.to(self.queue.dtype))
        self._set_counter('queue_ptr', (ptr + keys.shape[0]) % self.queue_len)

    def contrastive_chance_levels(self) -> Dict[str, float]:
        """``loss_moco`` of an embedding that tells nothing apart: the
        weighted cross entropy of a uniform guess over the key and the
        ``queue_len`` queued keys, ``loss_weight * ln(queue_len + 1)``
        (read by ``ContrastiveCollapseHook``)."""
        return dict(loss_moco=self.head.loss_weight *
                    math.log(self.queue_len + 1))

    def loss(self, inputs: Tensor,
             data_samples: OptSampleList = None) -> Dict[str, Tensor]:
        """MoCo (and HaLP) losses of a (N, 2, M, T, V, C) batch."""
        self._check_inputs(inputs, num_clips=2)
        step = self.contrast(inputs[:, 0], inputs[:, 1])
        self.enqueue(step.all_keys)
        return step.losses

    def contrast(self, query_view: Tensor, key_view: Tensor) -> 'Contrast':
        """The MoCo (and HaLP) step of (N, M, T, V, C) query and key views,
        before the keys enter the queue (:meth:`enqueue`).

        Multi-stream models (``SkeletonCMD``) run it for every stream and
        read the similarities to the queue it returns.
        """
        query = F.normalize(
            self.neck(self.pool(self.backbone(query_view))), dim=1)
        # Every rank enqueues the global batch, so queues stay identical.
        keys, all_keys = self.encode_keys(key_view)
        # A snapshot: the queue changes in place before backward runs.
        queue = self.queue.clone()
        neg_sim = query @ queue.T
        losses = dict(loss_moco=self.head.loss(
            (query * keys).sum(dim=1, keepdim=True), neg_sim))
        if self.halp_head is not None:
            losses.update(self.halp_head.loss(
                query, keys, self.queue, self._get_counter('queue_ptr'),
                num_new_keys=all_keys.shape[0], neg_sim=neg_sim))
        return Contrast(query, keys, all_keys, queue, neg_sim, losses)
