"""Every pretraining config in configs/ loads, its model, optimizer,
pipelines and datasets build, and it follows the official HaLP recipe; NTU
configs without data fail with a message that says what to do."""
import json
import pickle
import re
from pathlib import Path
from typing import Optional, Tuple

import numpy as np
import pytest
import torch
from conftest import REPO_ROOT, load_config, tiny_moco_cfg
from mmaction.registry import DATASETS, MODELS
from mmengine.config import Config
from mmengine.dataset import Compose, pseudo_collate
from mmengine.optim import build_optim_wrapper
from mmengine.registry import init_default_scope
from mmengine.runner import load_checkpoint

CONFIG_DIR = REPO_ROOT / 'configs'
# Pretraining configs: not the bases, not the downstream evaluation (eval/).
CONFIGS = sorted(
    p for p in CONFIG_DIR.rglob('*.py')
    if p.relative_to(CONFIG_DIR).parts[0] not in ('_base_', 'eval'))
# The small real sets: a CPU-sized encoder with its own schedule, and the
# MoCo control beside each HaLP config.
SMALL = dict(msr='msr_action3d_3d.pkl', nw_ucla='nw_ucla_3d.pkl')
SMALL_CONFIGS = [p for p in CONFIGS
                 if re.search(r'_(msr-xsub|nw-ucla-xview)$', p.stem)]
DEMO = ('halp_stgcn_demo.py', 'moco_stgcn_demo.py')
RECIPE = [p for p in CONFIGS
          if p.name not in DEMO and p not in SMALL_CONFIGS]
STAGE2 = [p for p in CONFIGS if '-pre_' in p.name]
RESUMED = [p for p in CONFIGS if '-resume_' in p.name]
# Single-stream motion and bone configs: a joint config on another stream.
STREAM_CONFIGS = [p for p in CONFIGS
                  if re.search(r'_1xb64-(motion|bone)-', p.name)]

# What each dataset's config reads: the pickle and, per split protocol, the
# length of the fixture's training split (so a wrong split is caught).
PICKLES = dict(ntu60='ntu60_3d.pkl', ntu120='ntu120_3d.pkl',
               pku_mmd2='pku_mmd2_3d.pkl', **SMALL)
FIXTURE_SPLITS = dict(xsub=(5, 3), xview=(6, 2), xset=(7, 1))


def _id(path: Path) -> str:
    return str(path.relative_to(CONFIG_DIR))


def _expected_data(path: Path) -> Optional[Tuple[str, str]]:
    """(dataset, protocol) a config's name promises, e.g. ntu60-xview."""
    full = re.search(r'_(ntu60|ntu120|pku-mmd2|msr|nw-ucla)-'
                     r'(xsub|xview|xset)$', path.stem)
    if full:
        return full[1].replace('-', '_'), full[2]
    alias = re.search(r'_(ntu60|ntu120|pku_mmd2)$', path.stem)
    return (alias[1], 'xsub') if alias else None  # aliases: cross-subject


@pytest.fixture(scope='module')
def skeleton_pickle(tmp_path_factory) -> str:
    """A tiny MMAction2 skeleton pickle with every split the configs use."""
    rng = np.random.default_rng(0)
    annotations = []
    for i in range(8):
        persons, frames = 1 + i % 2, 70 + 3 * i
        annotations.append(dict(
            frame_dir=f'S00{1 + i % 3}C00{1 + i % 3}P00{i + 1}R001A00{i + 1}',
            label=i % 4,
            keypoint=rng.normal(size=(persons, frames, 25, 3)).astype(
                np.float32),
            total_frames=frames))
    names = [a['frame_dir'] for a in annotations]
    split = {}
    for protocol, (num_train, _) in FIXTURE_SPLITS.items():
        split[f'{protocol}_train'] = names[:num_train]
        split[f'{protocol}_val'] = names[num_train:]
    path = tmp_path_factory.mktemp('skeleton') / 'skeleton_3d.pkl'
    with open(path, 'wb') as f:
        pickle.dump(dict(split=split, annotations=annotations), f)
    return str(path)


def _use_fixture(cfg: Config, ann_file: str) -> None:
    """Point every dataset of a config at the fixture pickle."""
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        dataset = cfg[loader].dataset
        for part in (dataset, dataset.get('bank'), dataset.get('query')):
            if part is not None and 'ann_file' in part:
                part.ann_file = ann_file


def _pipelines(cfg):
    dataset = cfg.train_dataloader.dataset
    yield dataset.pipeline
    yield cfg.val_dataloader.dataset.query.pipeline


# Models and optimizers are built once per distinct config: the configs hold
# a handful of distinct models, and a full-size BiGRU takes seconds to build.
_BUILT = set()


@pytest.mark.parametrize('path', CONFIGS, ids=_id)
def test_config_builds(path: Path, skeleton_pickle):
    cfg = load_config(path)
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    # The head lives in the model only: no stray top-level copy of it.
    assert not {'halp_head', 'halp_small_data'} & set(cfg.keys())
    assert cfg.model.queue_len % cfg.train_dataloader.batch_size == 0
    # A stream's config is its joint sibling's model with another data
    # preprocessor: that alone is built again.
    model_cfg = cfg.model.to_dict()
    preprocessor = model_cfg.pop('data_preprocessor', None)
    if preprocessor is not None:
        MODELS.build(preprocessor)
    key = json.dumps([model_cfg, cfg.optim_wrapper.to_dict()],
                     sort_keys=True)
    if key not in _BUILT:
        model = MODELS.build(cfg.model)
        streams = getattr(model, 'encoders', dict(joint=model))
        assert all(m.queue.shape[0] == cfg.model.queue_len
                   for m in streams.values())
        build_optim_wrapper(model, cfg.optim_wrapper)
        _BUILT.add(key)
    for pipeline in _pipelines(cfg):
        Compose([p for p in pipeline])  # every transform is registered
    # Normalised once when loaded, the same way for training and the kNN.
    train, bank, query = (cfg.train_dataloader.dataset,
                          cfg.val_dataloader.dataset.bank,
                          cfg.val_dataloader.dataset.query)
    assert train.preprocess == bank.preprocess == query.preprocess
    assert [t.type for t in train.preprocess] == [
        'VectorizedPreNormalize3D' if 'demo' in path.name else
        'SkeletonNormalize3D']
    assert not any('Normalize' in t.type for t in train.pipeline)
    Compose(train.preprocess)
    assert any(h.type == 'MomentumUpdateHook' for h in cfg.custom_hooks)
    assert cfg.test_dataloader.dataset == cfg.val_dataloader.dataset

    expected = _expected_data(path)
    if expected is None:  # the demo: no file
        return
    dataset, protocol = expected
    for part in (train, bank, query):
        assert Path(part.ann_file).name == PICKLES[dataset]
    assert (train.split, bank.split, query.split) == (
        f'{protocol}_train', f'{protocol}_train', f'{protocol}_val')

    _use_fixture(cfg, skeleton_pickle)
    train_set = DATASETS.build(cfg.train_dataloader.dataset)
    val_set = DATASETS.build(cfg.val_dataloader.dataset)
    num_train, num_val = FIXTURE_SPLITS[protocol]
    assert (len(train_set), len(val_set)) == (num_train, num_train + num_val)
    clip_len, persons = (32, 1) if dataset in SMALL else (64, 2)
    # two views
    assert train_set[0]['inputs'].shape == (2, persons, clip_len, 25, 3)
    assert val_set[num_train]['inputs'].shape == (1, persons, clip_len, 25,
                                                  3)


def _milestones(cfg) -> list:
    return [m for s in cfg.get('param_scheduler') or [] for m in s.milestones]


def _hook(cfg, name: str):
    hooks = [h for h in cfg.custom_hooks if h.type == name]
    return hooks[0] if hooks else None


@pytest.mark.parametrize('path', RECIPE, ids=_id)
def test_config_follows_the_official_recipe(path: Path):
    cfg = load_config(path)
    pku = _expected_data(path)[0] == 'pku_mmd2'
    assert cfg.train_dataloader.batch_size == 64
    model = cfg.model
    assert (model.queue_len, model.feat_dim, model.head.temperature) == (
        16384, 128, 0.07)
    assert _hook(cfg, 'MomentumUpdateHook').momentum == 0.999
    assert cfg.optim_wrapper.optimizer == dict(
        type='SGD', lr=0.01, momentum=0.9, weight_decay=1e-4)
    if model.backbone.type == 'BiGRU':
        assert (model.backbone.hidden_channels,
                model.backbone.num_layers) == (1024, 3)
        assert (model.neck.in_channels, model.neck.hid_channels,
                model.neck.out_channels) == (2048, 2048, 128)

    moco_epochs, epochs, step = (500, 1000, 800) if pku else (200, 450, 350)
    max_epochs, schedule = cfg.train_cfg.max_epochs, _hook(
        cfg, 'HaLPScheduleHook')
    halp = model.get('halp_head')
    if halp is None:  # MoCo: stage 1, or as long as the whole recipe
        assert schedule is None and cfg.get('load_from') is None
        # Stage 1 carries the whole recipe's lr step (never reached in it),
        # for a stage 2 that resumes it.
        assert _milestones(cfg) == [step]
        assert max_epochs in (moco_epochs, epochs)
        return
    assert (halp.num_prototypes, halp.num_keys, halp.interval,
            halp.num_positives, halp.hardness, halp.temperature) == (
                20, 256, 10, 100, 0.8, 0.07)
    assert halp.loss_weight == (1.0 if pku else 2.0)
    if cfg.get('resume'):  # stage 2 resuming stage 1: the one-run recipe
        assert '-resume_' in path.name and schedule.start_epoch == moco_epochs
        assert (max_epochs, _milestones(cfg)) == (epochs, [step])
    elif cfg.get('load_from'):  # stage 2 (test_two_stages_make_the_recipe)
        assert schedule is None
        assert max_epochs == epochs - moco_epochs
        assert _milestones(cfg) == [step - moco_epochs]
    else:  # the whole recipe in one run
        assert schedule.start_epoch == moco_epochs
        assert (max_epochs, _milestones(cfg)) == (epochs, [step])


@pytest.mark.parametrize('path', STAGE2, ids=_id)
def test_two_stages_make_the_recipe(path: Path):
    """Stage 2 loads the last checkpoint of its stage-1 config, trains the
    same model and data, and the two stages add up to the one-run config."""
    stage2 = load_config(path)
    match = re.fullmatch(r'work_dirs/(moco_\w+_1xb64-(\d+)e_[\w-]+)/'
                         r'epoch_(\d+)\.pth', stage2.load_from)
    assert match, stage2.load_from
    stage1_name, stage1_epochs = match[1], int(match[2])
    stage1 = load_config(CONFIG_DIR / 'moco' / f'{stage1_name}.py')
    assert stage1.train_cfg.max_epochs == stage1_epochs == int(match[3])
    one_run_name = re.sub(r'moco-\d+e-pre_1xb64-(\d+)e',
                          lambda m: f'1xb64-{int(m[1]) + stage1_epochs}e',
                          path.stem)
    one_run = load_config(CONFIG_DIR / 'halp' / f'{one_run_name}.py')

    halp_free = stage2.model.to_dict()
    halp_free.pop('halp_head')
    assert halp_free == stage1.model.to_dict()
    assert stage2.model == one_run.model
    for loader in ('train_dataloader', 'val_dataloader'):
        assert stage2[loader] == stage1[loader] == one_run[loader]
    assert _hook(one_run, 'HaLPScheduleHook').start_epoch == stage1_epochs
    assert (stage1_epochs + stage2.train_cfg.max_epochs ==
            one_run.train_cfg.max_epochs)
    assert [stage1_epochs + m for m in _milestones(stage2)] == \
        _milestones(one_run)


@pytest.mark.parametrize(
    'path', [p for p in SMALL_CONFIGS if p.parts[-2] == 'halp'], ids=_id)
def test_small_data_halp_config_is_its_moco_control_plus_halp(path: Path):
    halp = load_config(path)
    moco = load_config(CONFIG_DIR / 'moco' / path.name.replace('halp_',
                                                               'moco_'))
    head = halp.model.pop('halp_head')
    assert moco.model.pop('halp_head', None) is None
    assert halp.model == moco.model
    for key in ('train_dataloader', 'val_dataloader', 'optim_wrapper',
                'param_scheduler', 'train_cfg', 'randomness'):
        assert halp[key] == moco[key], key
    assert halp.custom_hooks == moco.custom_hooks + [
        dict(type='HaLPScheduleHook', start_fraction=0.5)]
    assert head.loss_form == 'nce' and head.num_keys < moco.model.queue_len
    assert moco.model.queue_len % moco.train_dataloader.batch_size == 0
    # The cosine schedule spans the whole run.
    assert [s.T_max for s in moco.param_scheduler] == [
        moco.train_cfg.max_epochs]


@pytest.mark.parametrize('path', RESUMED, ids=_id)
def test_resumed_stage_2_is_the_one_run_config_on_stage_1(path: Path):
    stage2 = load_config(path)
    match = re.fullmatch(r'work_dirs/(moco_\w+_1xb64-(\d+)e_[\w-]+)/'
                         r'epoch_(\d+)\.pth', stage2.load_from)
    stage1 = load_config(CONFIG_DIR / 'moco' / f'{match[1]}.py')
    assert stage1.train_cfg.max_epochs == int(match[2]) == int(match[3])
    one_run = load_config(CONFIG_DIR / 'halp' / path.name.replace(
        f'_moco-{match[2]}e-resume', ''))
    assert stage2.resume is True
    for key in ('model', 'train_dataloader', 'optim_wrapper',
                'param_scheduler', 'train_cfg', 'custom_hooks'):
        assert stage2[key] == one_run[key], key
    # The schedule stage 1 saves is the one stage 2 continues.
    assert stage1.param_scheduler == one_run.param_scheduler
    assert stage1.optim_wrapper == one_run.optim_wrapper


def test_resuming_stage_1_continues_its_epochs_schedule_and_optimiser(
        tmp_path, one_thread):
    """The resume form in small: 2 MoCo epochs with the whole schedule's lr
    step (at 3, not reached), then the HaLP config resumes them: epochs 3-4,
    HaLP on from epoch 3, the lr stepped at 3, the optimiser's momentum
    buffers those of stage 1."""
    from conftest import tiny_demo_cfg
    from mmengine.hooks import Hook
    from mmengine.runner import Runner

    def cfg(work_dir, max_epochs, halp):
        c = tiny_demo_cfg(work_dir, max_epochs, warmup_samples=0)
        # `end` explicit, as in the recipe's schedules: the resumed
        # scheduler keeps it.
        c.param_scheduler = [dict(type='MultiStepLR', by_epoch=True, begin=0,
                                  end=4, milestones=[3], gamma=0.1)]
        if not halp:
            c.model.halp_head = None
        else:
            c.custom_hooks = c.custom_hooks + [
                dict(type='HaLPScheduleHook', start_epoch=2)]
        return c

    Runner.from_cfg(cfg(tmp_path / 'moco', 2, halp=False)).train()
    stage1 = torch.load(tmp_path / 'moco' / 'epoch_2.pth', weights_only=False)
    c = cfg(tmp_path / 'halp', 4, halp=True)
    c.resume, c.load_from = True, str(tmp_path / 'moco' / 'epoch_2.pth')
    runner = Runner.from_cfg(c)
    seen = []

    class Spy(Hook):

        def before_train_epoch(self, r):
            seen.append((r.epoch, r.optim_wrapper.get_lr()['lr'][0],
                         r.model.halp_head.enabled))

    runner.register_hook(Spy(), 'LOWEST')
    runner.train()
    lr = stage1['optimizer']['param_groups'][0]['lr']
    assert seen == [(2, lr, True), (3, pytest.approx(lr * 0.1), True)]
    assert runner.epoch == 4
    assert runner.message_hub.get_scalar('train/halp_generated').current() \
        > 0


def test_stage_2_loads_a_stage_1_checkpoint(tmp_path):
    """What stage 2's load_from does: the MoCo weights and queue load into
    the HaLP model, whose head starts its warm-up from zero."""
    init_default_scope('mmaction')
    moco = MODELS.build(tiny_moco_cfg(halp=False))
    moco.init_weights()
    moco.enqueue(torch.nn.functional.normalize(torch.randn(12, 8), dim=1))
    torch.save(dict(state_dict=moco.state_dict()), tmp_path / 'epoch_200.pth')
    halp = MODELS.build(tiny_moco_cfg())
    load_checkpoint(halp, str(tmp_path / 'epoch_200.pth'), strict=False)
    torch.testing.assert_close(halp.queue, moco.queue)
    torch.testing.assert_close(halp.backbone.state_dict(),
                               moco.backbone.state_dict())
    assert halp._queue_ptr == 12
    assert halp.halp_head._samples_seen == 0 and not halp.halp_head.active


@pytest.mark.parametrize('path', STREAM_CONFIGS, ids=_id)
def test_stream_config_is_its_joint_config_on_one_stream(path: Path):
    cfg = load_config(path)
    stream = re.search(r'-(motion|bone)-', path.name)[1]
    joint = load_config(path.with_name(path.name.replace(f'-{stream}-',
                                                         '-')))
    assert cfg.model.pop('data_preprocessor') == dict(
        type='SkeletonStreamPreprocessor', stream=stream)
    assert 'data_preprocessor' not in joint.model
    assert cfg.model == joint.model
    for key in ('train_dataloader', 'val_dataloader', 'optim_wrapper',
                'param_scheduler', 'train_cfg', 'custom_hooks',
                'views_on_device'):
        assert cfg[key] == joint[key], key
    # tools/train.py moves the views onto the device: the stream stays.
    from halp_mmaction.engine.views_on_device import apply_views_on_device
    on_device = apply_views_on_device(load_config(path)).model
    assert (on_device.data_preprocessor.type,
            on_device.data_preprocessor.stream) == (
                'SkeletonViewPreprocessor', stream)


@pytest.mark.parametrize('name', [
    'halp/halp_stgcn_1xb64-450e_ntu60-xsub.py',
    'halp/halp_bigru_moco-500e-pre_1xb64-500e_pku-mmd2-xsub.py',
    'halp/halp_bigru_1xb64-bone-450e_ntu60-xview.py',
])
def test_config_trains_a_step(name, skeleton_pickle):
    """One HaLP training step on a collated batch of the config's own
    pipeline, with the encoder narrowed (a full-size step takes 10-25 s on
    two CPU cores; test_config_builds builds the full-size models)."""
    cfg = load_config(CONFIG_DIR / name)
    init_default_scope('mmaction')
    _use_fixture(cfg, skeleton_pickle)
    backbone = cfg.model.backbone
    if backbone.type == 'BiGRU':
        backbone.hidden_channels = 16  # 2 directions: a 32-d feature
    else:
        backbone.base_channels = 8  # doubled at 2 stages: a 32-d feature
    cfg.model.neck.update(in_channels=32, hid_channels=32)
    cfg.model.halp_head.warmup_samples = 0  # HaLP in this very step
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    model.init_weights()
    collated = pseudo_collate([dataset[0], dataset[1]])
    batch = model.data_preprocessor(collated, training=True)
    assert batch['inputs'].shape == (2, 2, 2, 64, 25, 3)
    stream = getattr(model.data_preprocessor, 'stream', 'joint')
    if stream != 'joint':  # the stream of the very views the pipeline made
        from halp_mmaction.models.utils.skeleton_streams import \
            skeleton_stream
        joint = torch.stack(collated['inputs']).float()
        torch.testing.assert_close(
            batch['inputs'], skeleton_stream(joint, stream,
                                             model.data_preprocessor.parents))
        assert not torch.equal(batch['inputs'], joint)
    losses = model(**batch, mode='loss')
    assert torch.isfinite(losses['loss_moco'])
    assert losses['halp_kept'] > 0 and losses['loss_halp'] != 0
    (losses['loss_moco'] + losses['loss_halp']).backward()
    grads = [p.grad for p in model.backbone.parameters()
             if p.grad is not None]
    assert grads and all(torch.isfinite(g).all() for g in grads)
    assert any(g.abs().sum() > 0 for g in grads)


def test_ntu60_without_data_says_how_to_prepare_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cfg = Config.fromfile(str(REPO_ROOT / 'configs' / 'halp_stgcn_ntu60.py'))
    init_default_scope('mmaction')
    with pytest.raises(FileNotFoundError, match='convert.py'):
        DATASETS.build(cfg.train_dataloader.dataset)


def test_demo_moco_control_is_the_demo_without_halp():
    halp = load_config(CONFIG_DIR / 'halp_stgcn_demo.py')
    moco = load_config(CONFIG_DIR / 'moco_stgcn_demo.py')
    assert moco.model.halp_head is None and halp.model.halp_head.loss_form \
        == 'nce'
    halp.model.halp_head = None
    assert halp.model == moco.model
    for key in ('train_dataloader', 'val_dataloader', 'optim_wrapper',
                'param_scheduler', 'train_cfg', 'randomness'):
        assert halp[key] == moco[key], key
    assert [h for h in halp.custom_hooks
            if h.type != 'HaLPScheduleHook'] == moco.custom_hooks


def test_demo_config_trains_a_step():
    cfg = Config.fromfile(str(REPO_ROOT / 'configs' / 'halp_stgcn_demo.py'))
    init_default_scope('mmaction')
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    model = MODELS.build(cfg.model)
    model.init_weights()
    batch = model.data_preprocessor(
        dict(inputs=[dataset[i]['inputs'] for i in range(4)],
             data_samples=[dataset[i]['data_samples'] for i in range(4)]),
        training=True)
    assert batch['inputs'].shape == (4, 2, 2, 32, 25, 3)
    losses = model(**batch, mode='loss')
    assert torch.isfinite(losses['loss_moco'])


CMD_CONFIGS = sorted((CONFIG_DIR / 'cmd').glob('*.py'))


def test_cmd_head_defaults_are_the_official_values():
    import inspect

    from halp_mmaction.models.heads import CMDHead
    defaults = {k: p.default for k, p in
                inspect.signature(CMDHead).parameters.items()}
    assert defaults == dict(topk=8192, teacher_temperature=0.05,
                            student_temperature=0.1, loss_weight=1.0)


@pytest.mark.parametrize('path', CMD_CONFIGS, ids=_id)
def test_cmd_config_is_its_single_stream_recipe_with_three_streams(path):
    """CMD is the MoCo recipe and CMD + HaLP the HaLP recipe, each as a
    SkeletonCMD (three streams) with the distillation; the small-data CMD
    config is its CMD + HaLP sibling without the HaLP heads."""
    cfg = load_config(path)
    multi = cfg.model.to_dict()
    assert multi.pop('type') == 'SkeletonCMD'
    head = multi.pop('cmd_head')
    halp = path.name.startswith('cmd-halp_')
    if 'tiny' in path.name:  # half the queue, as 8192 of 16,384
        assert head == dict(type='CMDHead', topk=cfg.model.queue_len // 2)
    else:
        assert head == dict(type='CMDHead')  # the official defaults
    if 'tiny' in path.name and not halp:
        source = path.with_name(path.name.replace('cmd_', 'cmd-halp_'))
        single = load_config(source)
        single.model.halp_head = None
        single.custom_hooks = [h for h in single.custom_hooks
                               if h.type != 'HaLPScheduleHook']
    else:
        folder, prefix = ('halp', 'halp_') if halp else ('moco', 'moco_')
        single = load_config(CONFIG_DIR / folder / path.name.replace(
            'cmd-halp_' if halp else 'cmd_', prefix))
    single_model = single.model.to_dict()
    for key in ('type', 'cmd_head'):
        single_model.pop(key, None)
    assert multi == single_model
    for key in ('train_dataloader', 'val_dataloader', 'optim_wrapper',
                'param_scheduler', 'train_cfg', 'custom_hooks'):
        assert cfg[key] == single[key], key
