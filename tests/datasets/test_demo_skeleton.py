import importlib.util
import pickle
import re
from pathlib import Path

import numpy as np
import pytest

import halp_mmaction  # noqa: F401  (compat fixes for mmaction2 1.2.0)
from halp_mmaction.datasets import (DemoSkeletonDataset,
                                    generate_demo_skeletons)
from halp_mmaction.datasets.demo_skeleton import DEMO_CLASSES

NAME = re.compile(r'S001C00([123])P(\d{3})R(\d{3})A(\d{3})')
PIPELINE = [
    dict(type='UniformSampleFrames', clip_len=32),
    dict(type='PoseDecode'),
    dict(type='FormatGCNInput', num_person=2),
    dict(type='PackActionInputs'),
]


@pytest.fixture(scope='module')
def demo():
    return generate_demo_skeletons()


def _by_split(demo):
    by_name = {a['frame_dir']: a for a in demo['annotations']}
    return {k: [by_name[n] for n in names]
            for k, names in demo['split'].items()}


def test_schema(demo):
    annos, split = demo['annotations'], demo['split']
    assert set(demo) == {'split', 'annotations'}
    assert set(split) == {'xsub_train', 'xsub_val'}
    assert len(annos) == 12 * 10 * 5
    assert (len(split['xsub_train']), len(split['xsub_val'])) == (360, 240)
    for a in annos:
        assert set(a) == {'frame_dir', 'label', 'keypoint', 'total_frames'}
        kp = a['keypoint']
        assert kp.dtype == np.float32 and kp.ndim == 4
        assert kp.shape[0] in (1, 2) and kp.shape[2:] == (25, 3)
        assert kp.shape[1] == a['total_frames'] and 40 <= kp.shape[1] <= 80
        assert np.isfinite(kp).all()
        match = NAME.fullmatch(a['frame_dir'])
        assert match and int(match[4]) == a['label'] + 1
    names = [a['frame_dir'] for a in annos]
    assert len(set(names)) == len(names)
    train, val = set(split['xsub_train']), set(split['xsub_val'])
    assert not train & val and train | val == set(names)
    subjects = {k: {NAME.fullmatch(n)[2] for n in v}
                for k, v in split.items()}
    assert not subjects['xsub_train'] & subjects['xsub_val']
    assert subjects['xsub_val'] == {'002', '005', '008', '010'}
    for samples in _by_split(demo).values():
        assert {a['label'] for a in samples} == set(range(12))


def test_plausible_bodies(demo):
    kp = np.concatenate([a['keypoint'][0] for a in demo['annotations']])
    # Kinect-like camera space: about 3 m away, head above the spine base.
    assert 2. < np.median(kp[..., 0, 2]) < 4.
    assert np.median(kp[..., 3, 1] - kp[..., 0, 1]) > .4
    # Rigid bones: the upper arm keeps its length up to sensor jitter.
    upper_arm = np.linalg.norm(kp[:, 5] - kp[:, 4], axis=-1)
    assert .2 < upper_arm.mean() < .35 and upper_arm.std() < .03


def test_two_person_samples(demo):
    pairs = [a for a in demo['annotations'] if a['keypoint'].shape[0] == 2]
    assert {DEMO_CLASSES[a['label']] for a in pairs} == {'handshake', 'push'}
    for a in pairs:
        second = a['keypoint'][1]
        assert np.abs(second).min(axis=-1).max() > 0  # a real body
        gap = np.linalg.norm(a['keypoint'][0, :, 0] - second[:, 0], axis=-1)
        assert gap.mean() > .3


def test_deterministic():
    small = dict(num_subjects=3, repeats=2, val_subjects=(3, ))
    a, b = generate_demo_skeletons(**small), generate_demo_skeletons(**small)
    assert a['split'] == b['split']
    for x, y in zip(a['annotations'], b['annotations']):
        assert x['frame_dir'] == y['frame_dir']
        assert np.array_equal(x['keypoint'], y['keypoint'])
    c = generate_demo_skeletons(seed=1, **small)
    assert not all(
        x['keypoint'].shape == y['keypoint'].shape
        and np.array_equal(x['keypoint'], y['keypoint'])
        for x, y in zip(a['annotations'], c['annotations']))
    # A sample depends only on its identity: more classes add samples.
    d = generate_demo_skeletons(num_classes=13, **small)
    first = [x for x in d['annotations'] if x['label'] < 12]
    assert all(
        np.array_equal(x['keypoint'], y['keypoint'])
        for x, y in zip(a['annotations'], first))


def test_invalid_arguments():
    with pytest.raises(ValueError):
        generate_demo_skeletons(num_classes=len(DEMO_CLASSES) + 1)
    with pytest.raises(ValueError):  # no performer left for training
        generate_demo_skeletons(num_subjects=2, val_subjects=(1, 2))


# 5 performers, of which the default val_subjects keep 2 and 5 for val.
@pytest.mark.parametrize('split,size', [('xsub_train', 12 * 3 * 2),
                                        ('xsub_val', 12 * 2 * 2)])
def test_dataset_through_pose_pipeline(split, size):
    from mmaction.registry import DATASETS
    from mmengine.registry import init_default_scope
    init_default_scope('mmaction')  # the pipeline's transforms live there
    dataset = DATASETS.build(
        dict(type='DemoSkeletonDataset', pipeline=PIPELINE, split=split,
             num_subjects=5, repeats=2, test_mode=split == 'xsub_val'))
    assert isinstance(dataset, DemoSkeletonDataset)
    assert len(dataset) == size
    assert dataset.metainfo['classes'] == DEMO_CLASSES[:12]
    for i in (0, size - 1):
        packed = dataset[i]
        assert tuple(packed['inputs'].shape) == (1, 2, 32, 25, 3)
        assert 0 <= packed['data_samples'].gt_label.item() < 12


def _raw_pose_features(samples, clip_len=32):
    """Resampled to clip_len frames, centred on joint 0, unit norm."""
    feats = []
    for a in samples:
        kp = a['keypoint']
        idx = np.linspace(0, kp.shape[1] - 1, clip_len).round().astype(int)
        x = np.zeros((2, clip_len, 25, 3), np.float32)
        x[:len(kp)] = kp[:, idx] - kp[:, idx, :1]
        feats.append(x.ravel())
    feats = np.stack(feats)
    return feats / np.linalg.norm(feats, axis=1, keepdims=True)


def test_separable_but_not_trivially(demo):
    splits = _by_split(demo)
    train, val = splits['xsub_train'], splits['xsub_val']
    sim = _raw_pose_features(val) @ _raw_pose_features(train).T
    labels = np.array([a['label'] for a in train])
    acc = np.mean(labels[sim.argmax(1)] == [a['label'] for a in val])
    # 0.825 with the defaults (chance is 1/12).
    assert 2 / 12 < acc < .98


def _load_tool():
    path = Path(__file__).parents[2] / 'tools/data/demo/generate_demo_data.py'
    spec = importlib.util.spec_from_file_location('generate_demo_data', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generate_tool(tmp_path, demo, capsys):
    from mmaction.datasets import PoseDataset
    cli = _load_tool().cli
    out = tmp_path / 'skeleton' / 'demo_3d.pkl'
    assert cli(['--out', str(out)]) == 0
    assert '360 xsub_train + 240 xsub_val' in capsys.readouterr().out
    with open(out, 'rb') as f:
        saved = pickle.load(f)
    assert saved['split'] == demo['split']
    assert all(
        np.array_equal(x['keypoint'], y['keypoint'])
        for x, y in zip(saved['annotations'], demo['annotations']))
    assert len(PoseDataset(str(out), [], split='xsub_val')) == 240
    # Refuses to clobber without --overwrite, and leaves the file alone.
    mtime = out.stat().st_mtime_ns
    assert cli(['--out', str(out)]) == 1
    assert 'overwrite' in capsys.readouterr().err
    assert out.stat().st_mtime_ns == mtime
    assert list(out.parent.iterdir()) == [out]  # no temporary left behind
