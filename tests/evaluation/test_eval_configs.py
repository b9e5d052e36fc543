"""Every downstream config (configs/eval/) loads, builds, reads the data its
name promises and follows its protocol's recipe."""
import copy
import json
import pickle
import re
from pathlib import Path

import numpy as np
import pytest
from conftest import REPO_ROOT, load_config
from mmaction.registry import DATASETS, MODELS
from mmengine.optim import build_optim_wrapper
from mmengine.registry import init_default_scope

EVAL_DIR = REPO_ROOT / 'configs' / 'eval'
CONFIGS = sorted(EVAL_DIR.rglob('*.py'))
CLASSIFIERS = CONFIGS
# The small real sets (a CPU-sized encoder, their own schedule).
SMALL = ('msr', 'nw-ucla')
PICKLES = {'ntu60': 'ntu60_3d.pkl', 'ntu120': 'ntu120_3d.pkl',
           'pku-mmd2': 'pku_mmd2_3d.pkl', 'msr': 'msr_action3d_3d.pkl',
           'nw-ucla': 'nw_ucla_3d.pkl'}
NUM_CLASSES = {'ntu60': 60, 'ntu120': 120, 'pku-mmd2': 51, 'msr': 20,
               'nw-ucla': 10}


def _id(path: Path) -> str:
    return str(path.relative_to(EVAL_DIR))


def _target(path: Path):
    """(dataset, protocol) of the data a config's name says it evaluates."""
    match = re.search(r'_(?:[a-z0-9-]+-to-)?(ntu60|ntu120|pku-mmd2|msr|'
                      r'nw-ucla)-(xsub|xview|xset)', path.stem)
    return match[1], match[2]


@pytest.fixture(scope='module')
def skeleton_pickle(tmp_path_factory) -> str:
    """A tiny pickle with every split, labels 0-3, one or two persons."""
    rng = np.random.default_rng(0)
    annotations, split = [], {}
    for i in range(8):
        frames = 40 + 3 * i
        annotations.append(dict(
            frame_dir=f'sample_{i}', label=i % 4, total_frames=frames,
            keypoint=rng.normal(size=(1 + i % 2, frames, 25, 3)).astype(
                np.float32)))
    for protocol in ('xsub', 'xview', 'xset'):
        split[f'{protocol}_train'] = [f'sample_{i}' for i in range(5)]
        split[f'{protocol}_val'] = [f'sample_{i}' for i in range(5, 8)]
    path = tmp_path_factory.mktemp('eval_configs') / 'skeleton_3d.pkl'
    with open(path, 'wb') as f:
        pickle.dump(dict(split=split, annotations=annotations), f)
    return str(path)


def _pretraining_normalisation(pickle_name: str):
    """The ``normalize`` of the pretraining dataset config on that file."""
    for base in sorted((REPO_ROOT / 'configs' / '_base_' /
                        'datasets').glob('*_ssl.py')):
        cfg = load_config(base)
        if Path(cfg.ann_file).name == pickle_name:
            return cfg.normalize
    raise AssertionError(f'no pretraining dataset config reads {pickle_name}')


def _datasets(cfg):
    """(train, test) dataset configs, through wrappers and kNN sets."""
    train = cfg.train_dataloader.dataset
    while 'dataset' in train:
        train = train.dataset
    test = cfg.test_dataloader.dataset
    return train, test.get('query', test)


_BUILT = set()


@pytest.mark.parametrize('path', CONFIGS, ids=_id)
def test_config_builds_and_reads_its_data(path, skeleton_pickle):
    cfg = load_config(path)
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    model_cfg = copy.deepcopy(cfg.model)
    init = model_cfg.backbone.pop('init_cfg', None)
    key = json.dumps([model_cfg.to_dict(), cfg.optim_wrapper.to_dict()],
                     sort_keys=True)
    if key not in _BUILT:
        build_optim_wrapper(MODELS.build(model_cfg), cfg.optim_wrapper)
        _BUILT.add(key)

    dataset, protocol = _target(path)
    train, test = _datasets(cfg)
    assert Path(train.ann_file).name == Path(test.ann_file).name == \
        PICKLES[dataset]
    assert (train.split, test.split) == (f'{protocol}_train',
                                         f'{protocol}_val')
    # Normalised once when loaded, as the encoder's pretraining data was.
    assert train.preprocess == test.preprocess == \
        _pretraining_normalisation(PICKLES[dataset])
    assert not any('Normalize' in t.type for t in train.pipeline)
    if path in CLASSIFIERS:
        assert init == dict(type='Pretrained', checkpoint='',
                            prefix='backbone.')
        assert cfg.model.cls_head.num_classes == NUM_CLASSES[dataset]

    for part in (train, test, cfg.test_dataloader.dataset.get('bank')):
        if part is not None:
            part.ann_file = skeleton_pickle
    if cfg.train_dataloader.dataset.type == 'LabelledSubsetDataset':
        cfg.train_dataloader.dataset.ratio = 0.8  # 4 of 5: a sample a class
    train_set = DATASETS.build(cfg.train_dataloader.dataset)
    test_set = DATASETS.build(cfg.test_dataloader.dataset)
    clip_len = 32 if dataset in SMALL else 64
    persons = 1 if dataset in SMALL else 2
    assert train_set[0]['inputs'].shape == (1, persons, clip_len, 25, 3)
    assert test_set[len(test_set) - 1]['inputs'].shape == (
        1, persons, clip_len, 25, 3)


def _views(pipeline):
    return [t for t in pipeline if t.type == 'TemporalCropResize']


@pytest.mark.parametrize(
    'path', [p for p in CLASSIFIERS if _target(p)[0] not in SMALL],
    ids=_id)
def test_classifier_config_follows_the_protocol(path):
    cfg = load_config(path)
    protocol = path.stem.split('_')[0]
    frozen = cfg.model.type == 'FrozenBackboneRecognizer'
    assert frozen == (protocol == 'linear')
    if not frozen:
        assert cfg.model.type == 'RecognizerGCN'
    head = 'SkeletonLinearHead' if cfg.model.backbone.type == 'BiGRU' \
        else 'GCNHead'
    assert cfg.model.cls_head.type == head
    assert cfg.train_dataloader.batch_size == 64
    assert cfg.train_cfg.max_epochs == 80
    assert [s.milestones for s in cfg.param_scheduler] == [[50, 70]]
    optimizer = cfg.optim_wrapper.optimizer
    if frozen:  # the official linear evaluation
        pku = _target(path)[0] == 'pku-mmd2'
        assert optimizer == dict(type='SGD', lr=0.001 if pku else 0.005,
                                 momentum=0.9, weight_decay=0.)
    train, test = _datasets(cfg)
    assert _views(train.pipeline) == [dict(
        type='TemporalCropResize', clip_len=64, crop_ratio=(0.5, 1.0),
        min_crop_len=64)]
    assert _views(test.pipeline) == [dict(
        type='TemporalCropResize', clip_len=64, crop_ratio=0.95,
        min_crop_len=1, center=True)]


@pytest.mark.parametrize('path', sorted((EVAL_DIR / 'semi').glob('*.py')),
                         ids=_id)
def test_semi_supervised_configs_wrap_the_finetuning_set(path):
    match = re.fullmatch(r'semi_(stgcn|bigru)_1xb64-80e_([a-z0-9-]+)-(\d+)p',
                         path.stem)
    encoder, target, percent = match[1], match[2], int(match[3])
    assert percent in (1, 5, 10, 20)
    cfg = load_config(path)
    finetune = load_config(EVAL_DIR / 'finetune' /
                           f'finetune_{encoder}_1xb64-80e_{target}.py')
    subset = cfg.train_dataloader.dataset
    assert (subset.type, subset.ratio, subset.balanced) == (
        'LabelledSubsetDataset', percent / 100, True)
    assert subset.dataset == finetune.train_dataloader.dataset
    assert cfg.train_dataloader.drop_last is False
    assert cfg.model == finetune.model


def test_every_protocol_has_both_encoders_on_every_split():
    splits = ('ntu60-xsub', 'ntu60-xview', 'ntu120-xsub', 'ntu120-xset',
              'pku-mmd2-xsub')
    for encoder in ('stgcn', 'bigru'):
        for split in splits:
            for protocol in ('linear', 'finetune'):
                assert (EVAL_DIR / protocol /
                        f'{protocol}_{encoder}_1xb64-80e_{split}.py').is_file()
            for percent in (1, 5, 10, 20):
                assert (EVAL_DIR / 'semi' / f'semi_{encoder}_1xb64-80e_'
                        f'{split}-{percent}p.py').is_file()
        for source in ('ntu60', 'ntu120'):
            for protocol in ('linear', 'finetune'):
                assert (EVAL_DIR / 'transfer' /
                        f'{protocol}_{encoder}_1xb64-80e_{source}-to-'
                        'pku-mmd2-xsub.py').is_file()


@pytest.mark.parametrize('path', sorted((EVAL_DIR / 'transfer').glob('*.py')),
                         ids=_id)
def test_transfer_configs_are_the_in_domain_pku_configs(path):
    protocol, encoder = path.stem.split('_')[:2]
    in_domain = load_config(EVAL_DIR / protocol /
                            f'{protocol}_{encoder}_1xb64-80e_pku-mmd2-xsub.py')
    cfg = load_config(path)
    for key in ('model', 'train_dataloader', 'test_dataloader',
                'optim_wrapper', 'param_scheduler', 'train_cfg'):
        assert cfg[key] == in_domain[key], key
