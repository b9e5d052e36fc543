"""Pooled backbone features of a whole dataset, for feature-based probes
(kNN, logistic regression, t-SNE)."""
import copy
from typing import Iterable, Optional, Sequence, Tuple

import numpy as np
import torch
from mmaction.registry import MODELS
from mmengine.config import ConfigDict
from mmengine.model import BaseModel
from mmengine.utils import ProgressBar
from torch import Tensor

from ..models.utils import clip_pooled_features, get_ori_model
from .pretrained import PREFIX, backbone_state_dict, check_pretrained_backbone


def check_finite_features(features, names: Sequence, what: str) -> None:
    """Refuse feature rows with a NaN or inf, naming their samples.

    One such row would poison a kNN (``topk`` ranks NaN first, so every
    query would take that sample's label) or a linear probe.

    Args:
        features (np.ndarray | Tensor): (N, C) features.
        names (Sequence): The N samples' names (e.g. ``frame_dir``).
        what (str): Whose features, for the message.

    Raises:
        ValueError: naming the samples and how many there are.
    """
    finite = np.isfinite(np.asarray(features)).all(axis=1)
    if finite.all():
        return
    bad = [str(names[i]) for i in np.flatnonzero(~finite)]
    raise ValueError(
        f'{what}: non-finite features for {len(bad)} of {len(finite)} '
        f'samples ({", ".join(bad[:5])}{", ..." if len(bad) > 5 else ""}). '
        'The encoder has NaN weights (a diverged run: see TrainGuardHook) '
        'or these inputs are broken.')


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

    Raises:
        ValueError: some features are not finite (see
            :func:`check_finite_features`).
    """
    model = get_ori_model(model)
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
    feats = torch.cat(feats).numpy()
    dataset = dataloader.dataset
    check_finite_features(
        feats, _SampleNames(dataset),
        f'extract_features ({type(dataset).__name__})')
    return feats, np.array(labels, dtype=np.int64), knn_bank


class _SampleNames:
    """Sample names of a dataset read in order, looked up only if needed."""

    def __init__(self, dataset) -> None:
        self.dataset = dataset

    def __getitem__(self, index: int) -> str:
        info = self.dataset.get_data_info(index)
        return info.get('frame_dir', info.get('filename', f'#{index}'))


def flattened_inputs(dataloader: Iterable
                     ) -> Tuple[np.ndarray, np.ndarray, list]:
    """The raw-pose baseline's features: every sample's network input
    (after the dataloader's pipeline: normalisation, resizing), flattened.

    Returns:
        tuple: ``features`` (N, D) float32, ``labels`` (N, ) int64 and the
        samples' names, in the dataset's order.
    """
    feats, labels = [], []
    for data in dataloader:
        inputs = data['inputs']
        inputs = torch.stack(inputs) if isinstance(inputs, (list, tuple)) \
            else inputs
        feats.append(inputs.reshape(len(inputs), -1).float())
        labels += [int(s.gt_label.reshape(-1)[0])
                   for s in data['data_samples']]
    names = _SampleNames(dataloader.dataset)
    feats = torch.cat(feats).numpy()
    return feats, np.array(labels, dtype=np.int64), [
        names[i] for i in range(len(feats))]


def sample_names(dataset) -> list:
    """The ``frame_dir`` of every sample of a dataset, in order."""
    names = _SampleNames(dataset)
    return [names[i] for i in range(len(dataset))]


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
