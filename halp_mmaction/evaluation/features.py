"""Pooled backbone features of a whole dataset, for feature-based probes
(kNN, logistic regression, t-SNE)."""
import copy
from typing import Iterable, Optional, Tuple

import numpy as np
import torch
from mmaction.registry import MODELS
from mmengine.config import ConfigDict
from mmengine.model import BaseModel, is_model_wrapper
from mmengine.utils import ProgressBar
from torch import Tensor

from ..models.utils import clip_pooled_features
from .pretrained import PREFIX, backbone_state_dict, check_pretrained_backbone


def pooled_backbone_features(model: BaseModel, inputs: Tensor) -> Tensor:
    """Backbone features of (N, num_clips, M, T, V, C) skeletons: (N, C).

    The backbone output is averaged over time, joints and persons (graph
    backbones) or taken as it is ((N, C) sequence models such as the BiGRU),
    then over clips: the feature ``SkeletonMoCo`` uses for kNN. Works for any
    model with a ``backbone`` attribute: pretraining models
    (``SkeletonMoCo``) and classifiers (``RecognizerGCN``,
    ``FrozenBackboneRecognizer``) alike.
    """
    if inputs.dim() != 6:
        raise ValueError('pooled_backbone_features: inputs must be (N, '
                         f'num_clips, M, T, V, C), got {tuple(inputs.shape)}')
    return clip_pooled_features(model.backbone, inputs)


@torch.no_grad()
def extract_features(model: BaseModel,
                     dataloader: Iterable,
                     progress: bool = False
                     ) -> Tuple[np.ndarray, np.ndarray, Optional[np.ndarray]]:
    """Pooled backbone features and labels of every sample of a dataloader.

    The model runs in eval mode (batch-norm statistics are used, not
    updated) and is left in eval mode.

    Args:
        model (BaseModel): A model with ``data_preprocessor`` and
            ``backbone``, possibly wrapped (DDP): the wrapped module is used.
        dataloader (Iterable): Yields mmengine data batches (a dict of
            ``inputs`` and ``data_samples``, each sample with a
            ``gt_label``), e.g. built from a config's test dataloader.
        progress (bool): Show a progress bar over the dataloader's dataset.
            Defaults to False.

    Returns:
        tuple: ``features`` (N, C) float32, ``labels`` (N, ) int64 and
        ``knn_bank`` (N, ) bool, or None when the samples carry no
        ``knn_bank`` mark (see ``KNNEvalDataset``).
    """
    if is_model_wrapper(model):
        model = model.module
    model.eval()
    feats, labels, bank = [], [], []
    bar = ProgressBar(len(dataloader.dataset)) if progress else None
    for data in dataloader:
        data = model.data_preprocessor(data, False)
        feats.append(
            pooled_backbone_features(model, data['inputs']).float().cpu())
        for sample in data['data_samples']:
            labels.append(int(sample.gt_label.reshape(-1)[0]))
            bank.append(sample.metainfo.get('knn_bank'))
            if bar is not None:
                bar.update()
    if bar is not None:
        print()
    if not feats:
        raise ValueError('extract_features: the dataloader yielded nothing')
    knn_bank = None if any(b is None for b in bank) else np.array(bank)
    return (torch.cat(feats).numpy(), np.array(labels, dtype=np.int64),
            knn_bank)


def load_encoder(model_cfg: dict,
                 checkpoint: Optional[str],
                 prefix: str = PREFIX) -> BaseModel:
    """Build a model and load a checkpoint's encoder into its backbone.

    Only the backbone matters for features, so any checkpoint with
    ``backbone.*`` weights will do, a pretraining (``SkeletonMoCo``) or a
    classifier one, whatever the model config around the backbone. The load
    is strict: every backbone key must be in the checkpoint and nothing else
    under ``prefix`` (see :func:`check_pretrained_backbone`).

    Args:
        model_cfg (dict): ``cfg.model`` of any config with a backbone
            (pretraining or classifier); a ``Pretrained`` backbone
            ``init_cfg`` is ignored.
        checkpoint (str, optional): None initialises the model at random
            (``init_weights``), the random-encoder baseline.
        prefix (str): Defaults to ``'backbone.'``.

    Returns:
        BaseModel: The model, in eval mode, on the CPU.
    """
    model_cfg = ConfigDict(copy.deepcopy(model_cfg))
    model_cfg.backbone.pop('init_cfg', None)
    model = MODELS.build(model_cfg)
    if checkpoint is None:
        model.init_weights()
    else:
        state = backbone_state_dict(checkpoint, prefix)
        check_pretrained_backbone(model.backbone, checkpoint, prefix, state)
        model.backbone.load_state_dict(state)
    return model.eval()


def eval_dataset_cfg(dataloader_cfg: dict,
                     part: str = 'query',
                     split: Optional[str] = None) -> dict:
    """A labelled dataset config out of a config's val or test dataloader.

    Args:
        dataloader_cfg (dict): e.g. ``cfg.test_dataloader``.
        part (str): For a ``KNNEvalDataset``, ``'query'`` (the split to
            classify) or ``'bank'`` (the labelled training split); ignored
            otherwise. Defaults to ``'query'``.
        split (str, optional): Replace the dataset's ``split``.

    Returns:
        dict: The dataset config, in test mode.
    """
    dataset = copy.deepcopy(dataloader_cfg['dataset'])
    if dataset.get('type') == 'KNNEvalDataset':
        if part not in ('query', 'bank'):
            raise ValueError(f"part must be 'query' or 'bank', got {part!r}")
        dataset = dataset[part]
    if split is not None:
        dataset['split'] = split
    dataset['test_mode'] = True
    return dataset
