"""Load a pretraining checkpoint's encoder into a classifier's backbone.

``SkeletonMoCo`` names its query encoder ``backbone.*``, as MMAction2's
``RecognizerGCN`` does, so the mapping is the identity on those keys; the key
encoder (``key_backbone.*``), projector (``neck.*``, ``key_neck.*``), queue and
HaLP buffers are left out. In a config this is mmengine's

``model.backbone.init_cfg = dict(type='Pretrained', checkpoint=CKPT,
prefix='backbone.')``

which strips ``backbone.`` and loads the rest into the backbone when the
Runner initialises the weights (before training). mmengine loads it
non-strictly (a mismatch is only a logged warning), so the evaluation tools
check first, with :func:`check_pretrained_backbone`, that every backbone key
is in the checkpoint and nothing else is.
"""
from typing import Dict, Optional

import torch
from mmaction.registry import MODELS
from mmengine.config import Config, ConfigDict
from mmengine.runner.checkpoint import _load_checkpoint
from torch import nn

from ..engine.checkpoint import CheckpointMismatchError
from ..models.utils import get_ori_model

PREFIX = 'backbone.'


def backbone_state_dict(checkpoint: str,
                        prefix: str = PREFIX) -> Dict[str, torch.Tensor]:
    """The ``prefix``-ed tensors of a checkpoint, with the prefix stripped.

    Args:
        checkpoint (str): A checkpoint file (mmengine's, with a
            ``state_dict``, or a bare state dict).
        prefix (str): Defaults to ``'backbone.'``.

    Returns:
        dict[str, Tensor]: The backbone's state dict.
    """
    ckpt = _load_checkpoint(checkpoint, map_location='cpu')
    state = ckpt.get('state_dict', ckpt)
    selected = {k[len(prefix):]: v for k, v in state.items()
                if k.startswith(prefix)}
    if not selected:
        tops = sorted({k.split('.')[0] + '.' for k in state})
        raise CheckpointMismatchError(
            checkpoint, f'{checkpoint} has no "{prefix}*" weights; its '
            f'top-level prefixes are {tops}')
    return selected


def check_pretrained_backbone(
        backbone: nn.Module,
        checkpoint: str,
        prefix: str = PREFIX,
        state: Optional[Dict[str, torch.Tensor]] = None) -> int:
    """Check that a checkpoint holds exactly a backbone's weights.

    Args:
        backbone (nn.Module): The classifier's backbone.
        checkpoint (str): The pretraining checkpoint.
        prefix (str): Defaults to ``'backbone.'``.
        state (dict, optional): The checkpoint's
            :func:`backbone_state_dict`, if already loaded.

    Returns:
        int: The number of tensors that will load.

    Raises:
        CheckpointMismatchError: (a ``KeyError``) Some backbone key is
            missing from the checkpoint, or the checkpoint has keys the
            backbone lacks, or shapes differ.
    """
    if state is None:
        state = backbone_state_dict(checkpoint, prefix)
    own = backbone.state_dict()
    missing = sorted(set(own) - set(state))
    unexpected = sorted(set(state) - set(own))
    mismatched = sorted(k for k in set(own) & set(state)
                        if own[k].shape != state[k].shape)
    if missing or unexpected or mismatched:

        def head(keys):
            return ', '.join(keys[:5]) + (', ...' if len(keys) > 5 else '')

        what = f'the model\'s "{prefix}*" weights' if prefix else \
            'the model'
        raise CheckpointMismatchError(
            checkpoint, f'{checkpoint} does not match {what}: '
            f'{len(missing)} missing ({head(missing)}), '
            f'{len(unexpected)} unexpected ({head(unexpected)}), '
            f'{len(mismatched)} of another shape ({head(mismatched)}). '
            'Is the config the one the checkpoint was trained with?')
    return len(state)


def check_checkpoint_fits(model: nn.Module, checkpoint: str) -> int:
    """Check, before a test, that a checkpoint holds the weights a model's
    prediction uses: its backbone's (every stream's, for a multi-stream
    model) and, for a classifier, its head's (``cls_head``), key by key and
    shape by shape.

    Args:
        model (nn.Module): The model (possibly wrapped, e.g. DDP).
        checkpoint (str): The checkpoint file.

    Returns:
        int: The number of tensors checked.

    Raises:
        CheckpointMismatchError: naming the missing, unexpected and
            mismatched keys.
    """
    model = get_ori_model(model)
    encoders = getattr(model, 'encoders', None)  # SkeletonCMD: per stream
    parts = [(f'encoders.{s}.backbone.', e.backbone)
             for s, e in encoders.items()] if encoders is not None else [
                 ('backbone.', model.backbone)]
    if getattr(model, 'cls_head', None) is not None:
        parts.append(('cls_head.', model.cls_head))
    ckpt = _load_checkpoint(checkpoint, map_location='cpu')
    state = ckpt.get('state_dict', ckpt)
    checked = 0
    for prefix, module in parts:
        selected = {k[len(prefix):]: v for k, v in state.items()
                    if k.startswith(prefix)}
        checked += check_pretrained_backbone(module, checkpoint, prefix,
                                             selected or None)
    return checked


def set_pretrained_backbone(cfg: Config,
                            checkpoint: Optional[str],
                            prefix: str = PREFIX,
                            check: bool = True) -> None:
    """Point ``cfg.model.backbone.init_cfg`` at a pretraining checkpoint.

    Args:
        cfg (Config): A classifier config (``model.backbone`` present).
        checkpoint (str, optional): The checkpoint; None drops any
            pretrained init: a randomly initialised encoder (the baseline).
        prefix (str): Defaults to ``'backbone.'``.
        check (bool): Build the backbone and run
            :func:`check_pretrained_backbone` first. Defaults to True.
    """
    backbone_cfg = cfg.model.backbone
    if checkpoint is None:
        backbone_cfg.pop('init_cfg', None)
        return
    if check:
        plain = ConfigDict(backbone_cfg)
        plain.pop('init_cfg', None)
        check_pretrained_backbone(MODELS.build(plain), checkpoint, prefix)
    backbone_cfg.init_cfg = dict(
        type='Pretrained', checkpoint=checkpoint, prefix=prefix)
