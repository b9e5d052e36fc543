"""Which encoder of a checkpoint evaluates which skeleton stream, and the
3-stream ensemble.

A single-stream checkpoint (``SkeletonMoCo``, a classifier) holds one
encoder, ``backbone.*``, trained on the stream its config's
``SkeletonStreamPreprocessor`` gave it (joint when there is none). A
multi-stream checkpoint (``SkeletonCMD``) holds one per stream,
``encoders.<stream>.backbone.*``. Evaluating ``stream`` means: that
stream's weights, and a data preprocessor that turns the evaluation data
(joint coordinates) into that stream. ``'all'`` is the ensemble of every
stream of a multi-stream checkpoint: the official code averages the
streams' features (``--test_modality all``); :func:`mean_features` does
that and the probes also average the streams' classifier scores.
"""
import copy
from typing import Dict, Optional, Sequence

import numpy as np
from mmengine.config import ConfigDict
from mmengine.runner.checkpoint import _load_checkpoint

from ..engine.checkpoint import CheckpointMismatchError
from ..models.utils.skeleton_streams import STREAMS
from .pretrained import PREFIX

ENSEMBLE = 'all'
STREAM_CHOICES = STREAMS + (ENSEMBLE, )
MULTI_STREAM_PREFIX = 'encoders.'


def checkpoint_streams(checkpoint: Optional[str]) -> tuple:
    """The streams of a multi-stream checkpoint, in training order; ``()``
    for a single-stream one (or None: a random encoder)."""
    if checkpoint is None:
        return ()
    ckpt = _load_checkpoint(checkpoint, map_location='cpu')
    state = ckpt.get('state_dict', ckpt)
    found = []
    for key in state:
        if key.startswith(MULTI_STREAM_PREFIX) and '.backbone.' in key:
            stream = key[len(MULTI_STREAM_PREFIX):].split('.')[0]
            if stream not in found:
                found.append(stream)
    return tuple(found)


def stream_model_cfg(model_cfg: dict, stream: str) -> ConfigDict:
    """A single-stream model config that evaluates ``stream``.

    A ``SkeletonCMD`` config becomes a ``SkeletonMoCo`` with its backbone
    and neck; any other config keeps its type. Either way the data
    preprocessor becomes a ``SkeletonStreamPreprocessor`` of ``stream``
    (with the config's other preprocessor settings).
    """
    model_cfg = ConfigDict(copy.deepcopy(model_cfg))
    layout = model_cfg.get('layout', 'nturgb+d')
    if model_cfg.get('type') == 'SkeletonCMD':
        model_cfg = ConfigDict(
            type='SkeletonMoCo', backbone=model_cfg.backbone,
            neck=model_cfg.neck,
            **{k: model_cfg[k] for k in ('queue_len', 'feat_dim')
               if k in model_cfg},
            data_preprocessor=model_cfg.get('data_preprocessor'))
    preprocessor = dict(model_cfg.get('data_preprocessor') or {})
    preprocessor.setdefault('layout', layout)
    preprocessor.update(type='SkeletonStreamPreprocessor', stream=stream)
    model_cfg.data_preprocessor = preprocessor
    return model_cfg


def encoder_prefixes(model_cfg: dict, checkpoint: Optional[str],
                     stream: str) -> Dict[str, str]:
    """For each stream to evaluate, the prefix of its encoder's weights.

    Args:
        model_cfg (dict): The evaluation config's model (it says, for a
            random encoder, which streams exist).
        checkpoint (str, optional): The checkpoint; None for random
            encoders.
        stream (str): One of :data:`STREAM_CHOICES`; ``'all'`` is every
            stream of a multi-stream checkpoint (of the ``SkeletonCMD``
            config for random encoders).

    Returns:
        dict[str, str]: stream -> prefix, in the checkpoint's stream order.

    Raises:
        ValueError: ``'all'`` for a single-stream checkpoint, or a stream
            the checkpoint lacks.
    """
    if stream not in STREAM_CHOICES:
        raise ValueError(f'stream must be one of {STREAM_CHOICES}, got '
                         f'{stream!r}')
    streams = checkpoint_streams(checkpoint)
    if checkpoint is None and model_cfg.get('type') == 'SkeletonCMD':
        streams = tuple(model_cfg.get('streams', STREAMS))
    if not streams:
        if stream == ENSEMBLE and checkpoint is not None:
            raise CheckpointMismatchError(
                checkpoint, f'{checkpoint} is a single-stream checkpoint '
                '(backbone.*): --stream all needs a multi-stream '
                '(SkeletonCMD) one')
        wanted = STREAMS if stream == ENSEMBLE else (stream, )
        return {s: PREFIX for s in wanted}
    wanted = streams if stream == ENSEMBLE else (stream, )
    missing = [s for s in wanted if s not in streams]
    if missing:
        raise CheckpointMismatchError(
            checkpoint, f'{checkpoint} has no {missing[0]} stream; its '
            f'streams are {list(streams)}')
    return {s: f'{MULTI_STREAM_PREFIX}{s}.backbone.' for s in wanted}


def mean_features(per_stream: Sequence[np.ndarray]) -> np.ndarray:
    """The ensemble feature: the streams' features averaged (the official
    ``--test_modality all``). All streams must have one feature size."""
    shapes = {np.shape(f) for f in per_stream}
    if len(shapes) != 1:
        raise ValueError(f'mean_features: the streams\' features differ in '
                         f'shape: {sorted(shapes)}')
    return np.mean(np.stack(per_stream), axis=0)


def configured_stream(model_cfg: dict) -> str:
    """The stream a single-stream model config feeds its encoder."""
    preprocessor = model_cfg.get('data_preprocessor') or {}
    if preprocessor.get('type') == 'SkeletonStreamPreprocessor':
        return preprocessor.get('stream', 'joint')
    return 'joint'


def load_stream_encoders(model_cfg: dict,
                         checkpoint: Optional[str],
                         stream: Optional[str] = None) -> Dict[str, object]:
    """The encoders that evaluate ``stream``, each with the data
    preprocessor of its stream, loaded strictly from the checkpoint.

    Args:
        model_cfg (dict): The evaluation config's model.
        checkpoint (str, optional): None: randomly initialised encoders.
        stream (str, optional): One of :data:`STREAM_CHOICES`. None: the
            config's own stream for a single-stream checkpoint, ``'all'``
            for a multi-stream one.

    Returns:
        dict[str, BaseModel]: stream -> model (in eval mode, on the CPU).
    """
    from .features import load_encoder
    multi = bool(checkpoint_streams(checkpoint)) or (
        checkpoint is None and model_cfg.get('type') == 'SkeletonCMD')
    if stream is None:
        if not multi:
            return {configured_stream(model_cfg):
                    load_encoder(model_cfg, checkpoint)}
        stream = ENSEMBLE
    return {s: load_encoder(stream_model_cfg(model_cfg, s), checkpoint,
                            prefix)
            for s, prefix in encoder_prefixes(model_cfg, checkpoint,
                                              stream).items()}


def with_ensemble(per_stream: Dict[str, tuple]) -> Dict[str, tuple]:
    """Per-stream ``(features, labels, ...)`` and, for two streams or more,
    the ensemble ``'all'``: the features averaged, the rest of the first
    stream's tuple (the samples are the same)."""
    if len(per_stream) < 2:
        return dict(per_stream)
    first = next(iter(per_stream.values()))
    return {**per_stream, ENSEMBLE: (
        mean_features([v[0] for v in per_stream.values()]), *first[1:])}
