"""The evaluation tools on a tiny pretraining checkpoint and the demo data:
kNN, linear probe, semi-supervised seeds, feature extraction and t-SNE."""
import importlib.util
import json
import sys

import numpy as np
import pytest
import torch
from conftest import REPO_ROOT, tiny_moco_cfg
from mmaction.registry import MODELS
from mmengine.config import Config
from mmengine.runner import Runner

from halp_mmaction.evaluation import (backbone_state_dict, extract_features,
                                      knn_predict, load_encoder)

TOOLS = REPO_ROOT / 'tools'
DEMO = dict(type='DemoSkeletonDataset', num_subjects=4, repeats=1)
TRAIN_PIPELINE = [
    dict(type='TemporalCropResize', clip_len=16, crop_ratio=(0.5, 1.0),
         min_crop_len=16),
    dict(type='FormatGCNInput', num_person=2),
    dict(type='PackActionInputs'),
]
TEST_PIPELINE = [
    dict(type='TemporalCropResize', clip_len=16, crop_ratio=0.95,
         min_crop_len=1, center=True),
    dict(type='FormatGCNInput', num_person=2),
    dict(type='PackActionInputs'),
]


def _tool(path: str):
    """Import a tool script as a module (its folder first on sys.path, as
    when it runs)."""
    file = TOOLS / path
    sys.path.insert(0, str(file.parent))
    try:
        spec = importlib.util.spec_from_file_location(file.stem, file)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(file.parent))
    return module


def _loader(dataset, batch_size=12, shuffle=False, **kwargs):
    return dict(batch_size=batch_size, num_workers=0,
                sampler=dict(type='DefaultSampler', shuffle=shuffle),
                dataset=dataset, **kwargs)


def _runtime(work_dir) -> dict:
    return dict(default_scope='mmaction', work_dir=str(work_dir),
                default_hooks=dict(logger=dict(type='LoggerHook', interval=1),
                                   checkpoint=dict(type='CheckpointHook',
                                                   interval=1)),
                randomness=dict(seed=0), log_level='WARNING')


@pytest.fixture(scope='module')
def pretrained(tmp_path_factory):
    """A tiny SkeletonMoCo checkpoint, as tools/train.py saves one."""
    torch.manual_seed(0)
    moco = MODELS.build(tiny_moco_cfg())
    moco.init_weights()
    path = tmp_path_factory.mktemp('pretrain') / 'epoch_1.pth'
    torch.save(dict(meta=dict(epoch=1), state_dict=moco.state_dict()), path)
    return str(path)


@pytest.fixture
def pretrain_config(tmp_path) -> str:
    """A pretraining-style config: the tiny model, kNN test set."""
    cfg = Config(dict(
        model=tiny_moco_cfg(),
        test_dataloader=_loader(dict(
            type='KNNEvalDataset',
            bank=dict(split='xsub_train', pipeline=TEST_PIPELINE, **DEMO),
            query=dict(split='xsub_val', pipeline=TEST_PIPELINE, **DEMO))),
        test_evaluator=dict(type='KNNMetric', num_neighbors=1),
        test_cfg=dict(type='TestLoop'),
        **_runtime(tmp_path / 'work')))
    path = tmp_path / 'pretrain_cfg.py'
    cfg.dump(str(path))
    return str(path)


def classifier_config(tmp_path, model_type='FrozenBackboneRecognizer',
                      train_set=None) -> str:
    """A linear-probe config like configs/eval/linear/, shrunk."""
    train_set = train_set or dict(split='xsub_train',
                                  pipeline=TRAIN_PIPELINE, **DEMO)
    backbone = dict(tiny_moco_cfg()['backbone'],
                    init_cfg=dict(type='Pretrained', checkpoint='',
                                  prefix='backbone.'))
    cfg = Config(dict(
        model=dict(type=model_type, backbone=backbone,
                   cls_head=dict(type='GCNHead', num_classes=12,
                                 in_channels=8)),
        train_dataloader=_loader(train_set, shuffle=True),
        val_dataloader=_loader(dict(split='xsub_val',
                                    pipeline=TEST_PIPELINE, test_mode=True,
                                    **DEMO)),
        val_evaluator=dict(type='AccMetric'),
        train_cfg=dict(type='EpochBasedTrainLoop', max_epochs=2,
                       val_interval=2),
        val_cfg=dict(type='ValLoop'),
        test_cfg=dict(type='TestLoop'),
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.05, momentum=0.9,
                                          weight_decay=0.)),
        **_runtime(tmp_path / 'work')))
    cfg.test_dataloader = cfg.val_dataloader
    cfg.test_evaluator = cfg.val_evaluator
    path = tmp_path / 'classifier_cfg.py'
    cfg.dump(str(path))
    return str(path)


def test_knn_tool_agrees_with_knn_metric_in_the_runner(
        pretrain_config, pretrained, tmp_path):
    out = tmp_path / 'knn.json'
    results = _tool('eval/knn.py').main(
        [pretrain_config, pretrained, '--k', '1', '5', '--out', str(out)])
    assert json.loads(out.read_text()) == results
    assert (results['num_bank'], results['num_query']) == (36, 12)

    cfg = Config.fromfile(pretrain_config)
    cfg.load_from = pretrained
    runner_top1 = Runner.from_cfg(cfg).test()['knn/top1']
    assert results['knn1_top1'] == pytest.approx(runner_top1, abs=0.01)

    # 5-NN by hand on the same features.
    model = load_encoder(cfg.model, pretrained)
    feats, labels, bank = extract_features(
        model, Runner.build_dataloader(cfg.test_dataloader))
    feats, labels = torch.from_numpy(feats), torch.from_numpy(labels)
    pred = knn_predict(feats[bank], labels[bank], feats[~bank], 5)
    top1 = (pred == labels[~bank]).float().mean().item() * 100
    assert results['knn5_top1'] == pytest.approx(top1, abs=0.01)


def test_knn_tool_takes_other_splits(pretrain_config, pretrained):
    # Query = bank: 1-NN finds every sample itself.
    results = _tool('eval/knn.py').main(
        [pretrain_config, pretrained, '--query-split', 'xsub_train'])
    assert results['num_query'] == 36 and results['knn1_top1'] == 100.0


def test_logistic_linear_probe_tool_is_the_library_probe(
        pretrain_config, pretrained, tmp_path):
    from halp_mmaction.evaluation import linear_probe
    out = tmp_path / 'lp.json'
    results = _tool('eval/linear_probe.py').main(
        [pretrain_config, pretrained, '--cs', '0.1', '1', '--out', str(out)])
    assert json.loads(out.read_text()) == results
    assert (results['num_bank'], results['num_query']) == (36, 12)
    cfg = Config.fromfile(pretrain_config)
    model = load_encoder(cfg.model, pretrained)
    feats, labels, bank = extract_features(
        model, Runner.build_dataloader(cfg.test_dataloader))
    # The demo's subjects are the groups: P001... in the sample names.
    from halp_mmaction.datasets import subject_of
    dataset = Runner.build_dataloader(cfg.test_dataloader).dataset
    names = [dataset.get_data_info(i)['frame_dir'] for i in range(len(bank))]
    groups = [subject_of(n) for n, b in zip(names, bank) if b]
    top1, details = linear_probe(feats[bank], labels[bank], feats[~bank],
                                 labels[~bank], groups=groups, cs=(0.1, 1))
    assert results['linear_top1'] == round(top1, 2)
    assert results['logreg_C'] == details['logreg_C']


def test_linear_probe_tool_trains_the_head_on_the_pretrained_encoder(
        tmp_path, pretrained):
    config = classifier_config(tmp_path)
    work_dir = tmp_path / 'linear'
    metrics = _tool('eval/train_classifier.py').main(
        [config, pretrained, '--work-dir', str(work_dir)])
    assert 0 <= metrics['acc/top1'] <= 100
    assert json.loads((work_dir / 'test_metrics.json').read_text()) == \
        metrics
    state = torch.load(work_dir / 'epoch_2.pth', map_location='cpu',
                       weights_only=False)['state_dict']
    for key, value in backbone_state_dict(pretrained).items():
        assert torch.equal(state['backbone.' + key], value), key  # frozen


def test_train_classifier_reports_the_best_and_the_last_top1(
        tmp_path, pretrained):
    cfg = Config.fromfile(classifier_config(tmp_path))
    cfg.train_cfg.update(max_epochs=4, val_interval=1)
    cfg.custom_hooks = [dict(type='BestMetricHook', metric='acc/top1')]
    cfg.optim_wrapper.optimizer.lr = 0.5  # moves enough to differ by epoch
    work_dir = tmp_path / 'linear'
    cfg.dump(str(tmp_path / 'best.py'))
    metrics = _tool('eval/train_classifier.py').main(
        [str(tmp_path / 'best.py'), pretrained, '--work-dir', str(work_dir)])
    summary = json.loads((work_dir / 'best_and_last.json').read_text())
    history = summary['history']
    assert [epoch for epoch, _ in history] == [1, 2, 3, 4]
    best_epoch, best = max(history, key=lambda h: h[1])
    assert (metrics['best_top1'], metrics['best_epoch']) == (best, best_epoch)
    assert metrics['last_top1'] == history[-1][1]
    assert metrics['last_epoch'] == 4
    # The val split is the test split here: the last validation is the test.
    assert metrics['last_top1'] == pytest.approx(metrics['acc/top1'])
    # The history is in the checkpoints: a resumed run keeps it, up to the
    # checkpoint's epoch (mmengine saves an epoch's checkpoint before that
    # epoch's validation, so epoch 4's is not in epoch_4.pth).
    cfg.train_cfg.max_epochs = 5
    cfg.resume, cfg.load_from = True, str(work_dir / 'epoch_4.pth')
    cfg.dump(str(tmp_path / 'resumed.py'))
    resumed = _tool('eval/train_classifier.py').main(
        [str(tmp_path / 'resumed.py'), pretrained, '--work-dir',
         str(work_dir)])
    summary = json.loads((work_dir / 'best_and_last.json').read_text())
    assert [e for e, _ in summary['history']] == [1, 2, 3, 5]
    assert resumed['best_top1'] >= metrics['best_top1']


def test_train_classifier_refuses_a_checkpoint_of_another_encoder(
        tmp_path, pretrained):
    config = Config.fromfile(classifier_config(tmp_path))
    config.model.backbone.base_channels = 16
    config.dump(str(tmp_path / 'wide.py'))
    with pytest.raises(KeyError, match=r'does not match the model.s '
                       r'"backbone\.\*" weights'):
        _tool('eval/train_classifier.py').main(
            [str(tmp_path / 'wide.py'), pretrained])


def test_semi_supervised_tool_repeats_over_seeds(tmp_path, pretrained):
    subset = dict(type='LabelledSubsetDataset', ratio=1 / 3, seed=0,
                  dataset=dict(split='xsub_train', pipeline=TRAIN_PIPELINE,
                               **DEMO))
    config = classifier_config(tmp_path, 'RecognizerGCN', subset)
    work_dir = tmp_path / 'semi'
    summary = _tool('eval/semi_supervised.py').main(
        [config, pretrained, '--seeds', '0', '1', '--work-dir',
         str(work_dir)])
    top1 = [run['acc/top1'] for run in summary['runs']]
    assert [run['seed'] for run in summary['runs']] == [0, 1]
    assert summary['mean'] == pytest.approx(np.mean(top1))
    assert summary['std'] == pytest.approx(np.std(top1))
    assert summary['balanced'] and summary['ratio'] == pytest.approx(1 / 3)
    for seed in (0, 1):
        used = Config.fromfile(str(next((work_dir / f'seed_{seed}').rglob(
            'vis_data/config.py'))))
        assert used.train_dataloader.dataset.seed == seed
        assert used.randomness.seed == seed
    assert json.loads((work_dir / 'semi_supervised.json').read_text()) == \
        summary


def test_extract_features_and_tsne(tmp_path, pretrain_config, pretrained):
    out = tmp_path / 'features' / 'feats.npy'  # the folder is created
    feats, labels = _tool('analysis/extract_features.py').main(
        [pretrain_config, pretrained, '--out', str(out)])
    assert np.load(out).shape == (12, 8)
    np.testing.assert_array_equal(
        np.load(tmp_path / 'features' / 'feats_labels.npy'), labels)
    assert sorted(labels.tolist()) == list(range(12))
    bank, _ = _tool('analysis/extract_features.py').main(
        [pretrain_config, 'none', '--out', str(tmp_path / 'bank.npy'),
         '--part', 'bank'])
    assert bank.shape == (36, 8)

    png = tmp_path / 'plots' / 'tsne.png'
    emb = _tool('analysis/tsne.py').main([str(out), '--out', str(png)])
    assert emb.shape == (12, 2) and np.isfinite(emb).all()
    assert png.read_bytes()[:8] == b'\x89PNG\r\n\x1a\n'


@pytest.fixture(scope='module')
def cmd_pretrained(tmp_path_factory):
    """A tiny SkeletonCMD (joint, motion, bone) checkpoint."""
    torch.manual_seed(0)
    cmd = MODELS.build(tiny_moco_cfg(type='SkeletonCMD', cmd_head=dict(
        type='CMDHead', topk=8)))
    cmd.init_weights()
    path = tmp_path_factory.mktemp('cmd') / 'epoch_1.pth'
    torch.save(dict(meta=dict(epoch=1), state_dict=cmd.state_dict()), path)
    return str(path)


def _stream_features(cfg, checkpoint):
    from halp_mmaction.evaluation import load_stream_encoders
    loader = Runner.build_dataloader(cfg.test_dataloader)
    return {s: extract_features(m, loader)
            for s, m in load_stream_encoders(cfg.model, checkpoint,
                                             'all').items()}


def test_knn_tool_evaluates_every_stream_and_their_ensemble(
        pretrain_config, cmd_pretrained):
    knn = _tool('eval/knn.py')
    results = knn.main([pretrain_config, cmd_pretrained])
    assert results['streams'] == ['joint', 'motion', 'bone']
    assert set(results['per_stream']) == {'joint', 'motion', 'bone', 'all'}
    assert results['knn1_top1'] == results['per_stream']['all']['knn1_top1']
    # The ensemble by hand: each stream's encoder on its own stream, the
    # three features averaged.
    feats = _stream_features(Config.fromfile(pretrain_config),
                             cmd_pretrained)
    _, labels, bank = feats['joint']
    mean = torch.from_numpy(np.mean([f[0] for f in feats.values()], axis=0))
    labels = torch.from_numpy(labels)
    pred = knn_predict(mean[bank], labels[bank], mean[~bank], 1)
    top1 = (pred == labels[~bank]).float().mean().item() * 100
    assert results['knn1_top1'] == pytest.approx(top1, abs=0.01)
    assert len({f[0].tobytes() for f in feats.values()}) == 3
    bone = knn.main([pretrain_config, cmd_pretrained, '--stream', 'bone'])
    assert bone['streams'] == ['bone'] and 'per_stream' not in bone
    assert bone['knn1_top1'] == results['per_stream']['bone']['knn1_top1']
    assert 'stream_agreement' not in bone
    # How much the streams share, from each stream's own 1-NN predictions.
    agreement = results['stream_agreement']
    right = {}
    for s, (x, _, _) in feats.items():
        x = torch.from_numpy(x)
        pred = knn_predict(x[bank], labels[bank], x[~bank], 1)
        right[s] = (pred == labels[~bank]).numpy()
        assert agreement['top1'][s] == results['per_stream'][s]['knn1_top1']
    assert agreement['oracle_top1'] == pytest.approx(
        np.mean(right['joint'] | right['motion'] | right['bone']) * 100,
        abs=0.01)
    pair = agreement['pairs']['motion/bone']
    assert pair['both_wrong'] == pytest.approx(
        np.mean(~right['motion'] & ~right['bone']) * 100, abs=0.01)
    assert 0 < pair['linear_cka'] <= 1 and set(agreement['pairs']) == {
        'joint/motion', 'joint/bone', 'motion/bone'}


def test_linear_probe_tool_reports_both_ensembles(pretrain_config,
                                                  cmd_pretrained):
    probe = _tool('eval/linear_probe.py')
    results = probe.main([pretrain_config, cmd_pretrained, '--cs', '1'])
    assert set(results['per_stream']) == {'joint', 'motion', 'bone', 'all'}
    assert results['linear_top1'] == \
        results['per_stream']['all']['linear_top1']
    assert 0 <= results['linear_top1_score_mean'] <= 100
    motion = probe.main([pretrain_config, cmd_pretrained, '--cs', '1',
                         '--stream', 'motion'])
    assert motion['linear_top1'] == \
        results['per_stream']['motion']['linear_top1']


def test_stream_of_a_checkpoint_is_checked(pretrain_config, pretrained,
                                           cmd_pretrained):
    from halp_mmaction.engine.checkpoint import CheckpointMismatchError
    with pytest.raises(CheckpointMismatchError, match='single-stream'):
        _tool('eval/knn.py').main([pretrain_config, pretrained, '--stream',
                                   'all'])
    cfg = Config.fromfile(pretrain_config)
    cmd = tiny_moco_cfg(type='SkeletonCMD', streams=('joint', 'bone'),
                        cmd_head=None)
    cfg.model = cmd
    cfg.dump(pretrain_config)
    torch.manual_seed(0)
    two = MODELS.build(cmd)
    path = cmd_pretrained.replace('epoch_1', 'two_streams')
    torch.save(dict(state_dict=two.state_dict()), path)
    with pytest.raises(CheckpointMismatchError, match='no motion stream'):
        _tool('eval/knn.py').main([pretrain_config, path, '--stream',
                                   'motion'])


def test_train_classifier_trains_on_one_stream_of_a_cmd_checkpoint(
        tmp_path, cmd_pretrained):
    build_cfg = _tool('eval/train_classifier.py').build_cfg
    cfg = build_cfg(classifier_config(tmp_path), cmd_pretrained,
                    stream='bone')
    assert cfg.model.backbone.init_cfg.prefix == 'encoders.bone.backbone.'
    assert cfg.model.data_preprocessor == dict(
        type='SkeletonStreamPreprocessor', stream='bone', layout='nturgb+d')
    model = Runner.from_cfg(cfg).model
    model.init_weights()
    for key, value in backbone_state_dict(
            cmd_pretrained, 'encoders.bone.backbone.').items():
        assert torch.equal(model.backbone.state_dict()[key], value), key
