"""The ``views_on_device`` config switch: where a pretraining config makes
its contrastive views."""
import copy
from typing import List, Optional

from mmengine.config import Config, ConfigDict

# The preprocessors whose settings SkeletonViewPreprocessor takes over.
_PLAIN_PREPROCESSORS = ('ActionDataPreprocessor', 'SkeletonStreamPreprocessor')


def _two_views_pipelines(node, found: List[list]) -> None:
    """Every pipeline list under ``node`` that holds a TwoViews step."""
    if isinstance(node, dict):
        pipeline = node.get('pipeline')
        if isinstance(pipeline, list) and any(
                isinstance(t, dict) and t.get('type') == 'TwoViews'
                for t in pipeline):
            found.append(pipeline)
        for value in node.values():
            _two_views_pipelines(value, found)
    elif isinstance(node, (list, tuple)):
        for value in node:
            _two_views_pipelines(value, found)


def apply_views_on_device(cfg: Config) -> Config:
    """Move a config's views from the workers to the model's device when
    ``cfg.views_on_device`` is True (tools/train.py applies it after the
    ``--cfg-options``, so ``--cfg-options views_on_device=True`` or
    ``=False`` flips any pretraining config).

    The training pipeline's ``TwoViews(transforms)`` step is dropped and
    ``model.data_preprocessor`` becomes ``SkeletonViewPreprocessor`` with
    the same ``transforms`` (and the stream and layout of a
    ``SkeletonStreamPreprocessor``), the training loader's collate (if
    absent or ``pseudo_collate``) becomes ``concat_sequences_collate``, so
    that each worker hands over a batch as one tensor, and
    ``randomness.diff_rank_seed`` is
    set so that the ranks of a distributed run draw different views.
    Validation and test pipelines are left as they are. False or absent:
    the config is returned unchanged. ``cfg.compile_views = True`` (False
    when absent) sets the preprocessor's ``compile_views``: the crop-resize
    and the linear map after it in one ``torch.compile`` kernel.

    Raises:
        ValueError: ``views_on_device`` or ``compile_views`` is not a bool,
            ``compile_views`` is True without ``views_on_device``, the
            training dataloader has no (or several) pipelines with
            ``TwoViews``, or the model has a data preprocessor of another
            kind.
    """
    switch = cfg.get('views_on_device', False)
    if not isinstance(switch, bool):
        raise ValueError(f'views_on_device must be True or False, got '
                         f'{switch!r}')
    compile_views = cfg.get('compile_views', False)
    if not isinstance(compile_views, bool):
        raise ValueError(f'compile_views must be True or False, got '
                         f'{compile_views!r}')
    if compile_views and not switch:
        raise ValueError('compile_views=True compiles the views made on the '
                         'device: it needs views_on_device=True')
    if not switch:
        return cfg
    found: List[list] = []
    _two_views_pipelines(cfg.get('train_dataloader'), found)
    if len(found) != 1:
        raise ValueError(
            'views_on_device=True needs exactly one training pipeline with a '
            f'TwoViews step (the per-sample views), found {len(found)} in '
            'train_dataloader')
    pipeline = found[0]
    index = next(i for i, t in enumerate(pipeline)
                 if t.get('type') == 'TwoViews')
    view_transforms = copy.deepcopy(pipeline[index]['transforms'])
    del pipeline[index]

    old: Optional[dict] = cfg.model.get('data_preprocessor')
    new = ConfigDict(type='SkeletonViewPreprocessor',
                     view_transforms=view_transforms,
                     compile_views=compile_views)
    if old is not None:
        kind = old.get('type')
        if kind not in _PLAIN_PREPROCESSORS:
            raise ValueError(
                'views_on_device=True replaces model.data_preprocessor by '
                f'SkeletonViewPreprocessor, which takes over only '
                f'{_PLAIN_PREPROCESSORS}, got {kind!r}')
        new.update({k: v for k, v in old.items() if k != 'type'})
    cfg.model.data_preprocessor = new
    # One block per batch from each worker instead of one per sample.
    loader = cfg.train_dataloader
    collate = loader.get('collate_fn')
    if collate is None or (isinstance(collate, dict) and collate.get(
            'type') in ('pseudo_collate', 'concat_sequences_collate')):
        loader.collate_fn = ConfigDict(type='concat_sequences_collate')
    # The views come from torch's generator on each rank, which mmengine
    # seeds alike on every rank unless told otherwise (rank 0 keeps the
    # seed, so a single process is unchanged).
    randomness = cfg.get('randomness') or ConfigDict()
    randomness['diff_rank_seed'] = True
    cfg.randomness = randomness
    return cfg
