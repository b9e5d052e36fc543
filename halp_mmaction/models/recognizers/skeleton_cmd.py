"""Multi-stream MoCo with CMD's cross-modal distillation and HaLP per
stream."""
import copy
from typing import Dict, List, Optional, Sequence, Union

import torch
from mmaction.registry import MODELS
from mmaction.utils import OptSampleList
from mmengine.model import ModuleDict
from torch import Tensor

from ..utils import clip_pooled_features
from ..utils.skeleton_streams import bone_parents, check_stream, \
    skeleton_stream
from .pretraining_model import PretrainingModel
from .skeleton_moco import SkeletonMoCo


@MODELS.register_module()
class SkeletonCMD(PretrainingModel):
    """Joint, motion and bone streams, each a :class:`SkeletonMoCo`, tied by
    CMD's cross-modal distillation (``cmd_head``), with HaLP per stream.

    The model receives the joint views (N, 2, M, T, V, C), as a
    single-stream model does, and derives the motion and bone views from
    them on its device (the official code derives them in the forward pass
    too). Each stream has its own query and key encoder, queue, and, with
    ``halp_head``, its own HaLP head and prototypes; the streams' queues
    advance together, so slot ``i`` of every queue holds the same sample,
    which CMD's loss relies on. ``cmd_head=None`` trains the streams side
    by side without distillation; ``halp_head=None`` is plain CMD
    (``builder_mm_cmd.py``), both together CMD + HaLP
    (``builder_mm_halp.py``, which the official repository cannot train).

    Weights are ``encoders.<stream>.backbone.*`` and so on: the evaluation
    tools' ``--stream`` picks one stream's encoder, ``--stream all`` the
    ensemble. ``MomentumUpdateHook`` updates every key encoder and
    ``HaLPScheduleHook`` switches every stream's HaLP head.

    Args:
        backbone (dict): Backbone config of every stream (built once per
            stream, so each starts from its own random weights).
        neck (dict): Projection config of every stream.
        head (dict): Contrastive loss config of every stream.
        halp_head (dict, optional): ``HaLPHead`` config of every stream.
            Defaults to None.
        cmd_head (dict, optional): ``CMDHead`` config; None trains the
            streams without distillation. Defaults to ``CMDHead()``.
        streams (Sequence[str]): Defaults to ``('joint', 'motion',
            'bone')``.
        layout (str): Skeleton layout of the bone pairs. Defaults to
            ``'nturgb+d'``.
        queue_len (int): Queue length of every stream. Defaults to 16384.
        feat_dim (int): Contrastive space size. Defaults to 128.
        shuffle_bn (bool): As :class:`SkeletonMoCo`. Defaults to True.
        data_preprocessor (dict, optional): Defaults to
            ``ActionDataPreprocessor`` (it must give joint coordinates).
        init_cfg (dict or list[dict], optional): Initialisation config.
    """

    def __init__(self,
                 backbone: dict,
                 neck: dict,
                 head: dict = dict(type='ContrastiveHead', temperature=0.07),
                 halp_head: Optional[dict] = None,
                 cmd_head: Optional[dict] = dict(type='CMDHead'),
                 streams: Sequence[str] = ('joint', 'motion', 'bone'),
                 layout: str = 'nturgb+d',
                 queue_len: int = 16384,
                 feat_dim: int = 128,
                 shuffle_bn: bool = True,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[Union[dict, List[dict]]] = None) -> None:
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        name = type(self).__name__
        streams = tuple(streams)
        for stream in streams:
            check_stream(stream, name)
        if not streams or len(set(streams)) != len(streams):
            raise ValueError(f'{name}: streams must be distinct and not '
                             f'empty, got {streams}')
        if getattr(self.data_preprocessor, 'stream', 'joint') != 'joint':
            raise ValueError(f'{name}: the data preprocessor must give joint '
                             'coordinates (the model derives the streams); '
                             f'got stream={self.data_preprocessor.stream!r}')
        self.streams = streams
        # A buffer, so the bone index lives on the model's device.
        self.register_buffer('parents', torch.tensor(bone_parents(layout)),
                             persistent=False)
        self.encoders = ModuleDict({
            stream: SkeletonMoCo(
                backbone=copy.deepcopy(backbone),
                neck=copy.deepcopy(neck),
                head=copy.deepcopy(head),
                halp_head=copy.deepcopy(halp_head),
                queue_len=queue_len,
                feat_dim=feat_dim,
                shuffle_bn=shuffle_bn)
            for stream in streams
        })
        self.queue_len = queue_len
        self.cmd_head = None
        if cmd_head is not None:
            if len(streams) < 2:
                raise ValueError(f'{name}: cmd_head needs two streams or '
                                 f'more, got {streams}')
            self.cmd_head = MODELS.build(cmd_head)
            self.cmd_head.check_queue_len(queue_len)

    def stream_views(self, views: Tensor) -> Dict[str, Tensor]:
        """Every stream of (..., M, T, V, C) joint views."""
        return {s: skeleton_stream(views, s, self.parents)
                for s in self.streams}

    @torch.no_grad()
    def momentum_update(self, momentum: float) -> None:
        """Every stream's key encoder, as :meth:`SkeletonMoCo.momentum_update`.
        """
        for encoder in self.encoders.values():
            encoder.momentum_update(momentum)

    def extract_feat(self, inputs: Tensor) -> Tensor:
        """The streams' pooled query-backbone features of (N, num_clips, M,
        T, V, C) joint inputs, averaged over streams (the official
        ensemble feature, also ``predict``'s ``feature`` for kNN) and clips:
        (N, C)."""
        SkeletonMoCo._check_inputs(inputs)
        feats = [clip_pooled_features(self.encoders[s].backbone, view)
                 for s, view in self.stream_views(inputs).items()]
        return torch.stack(feats).mean(dim=0)

    def contrastive_chance_levels(self) -> Dict[str, float]:
        """Every stream's :meth:`SkeletonMoCo.contrastive_chance_levels`,
        under its suffixed loss name (``loss_moco_joint``, ...)."""
        return {f'{name}_{s}': level
                for s, encoder in self.encoders.items()
                for name, level in encoder.contrastive_chance_levels().items()}

    def loss(self, inputs: Tensor,
             data_samples: OptSampleList = None) -> Dict[str, Tensor]:
        """Every stream's MoCo (and HaLP) losses, suffixed by the stream
        (``loss_moco_joint``, ...), and ``loss_cmd``."""
        SkeletonMoCo._check_inputs(inputs, num_clips=2)
        query_views = self.stream_views(inputs[:, 0])
        key_views = self.stream_views(inputs[:, 1])
        steps = {s: self.encoders[s].contrast(query_views[s], key_views[s])
                 for s in self.streams}
        losses = {f'{name}_{s}': value for s, step in steps.items()
                  for name, value in step.losses.items()}
        if self.cmd_head is not None:
            losses['loss_cmd'] = self.cmd_head.loss(
                {s: step.neg_sim for s, step in steps.items()},
                {s: step.keys @ step.queue.T for s, step in steps.items()})
        for s, step in steps.items():
            self.encoders[s].enqueue(step.all_keys)
        return losses
