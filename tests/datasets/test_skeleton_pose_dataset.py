"""SkeletonPoseDataset refuses bad samples at load time, naming them, and
names the sample an error in the pipeline happened on."""
import pickle
import re

import numpy as np
import pytest

from halp_mmaction.datasets import (DemoSkeletonDataset, KNNEvalDataset,
                                    SkeletonPoseDataset)
from halp_mmaction.datasets.skeleton_pose_dataset import PREPARE_HINT

PIPELINE = [
    dict(type='TemporalCropResize', clip_len=8, crop_ratio=1.0,
         min_crop_len=1, center=True),
    dict(type='FormatGCNInput', num_person=2),
    dict(type='PackActionInputs'),
]


def _samples(num=6):
    rng = np.random.default_rng(0)
    return [dict(frame_dir=f'S001C001P00{i}R001A001', label=i % 3,
                 keypoint=rng.normal(size=(1, 10, 25, 3)).astype(np.float32),
                 total_frames=10) for i in range(num)]


def _write(path, annotations):
    names = [a['frame_dir'] for a in annotations]
    with open(path, 'wb') as f:
        pickle.dump(dict(split=dict(xsub_train=names), annotations=annotations),
                    f)
    return str(path)


def _load(path, **kwargs):
    return SkeletonPoseDataset(ann_file=path, pipeline=PIPELINE,
                               split='xsub_train', **kwargs)


def _nan(kp):
    kp[0, 3, 7, 1] = np.nan
    kp[0, 4, 7, 1] = np.nan


def _inf(kp):
    kp[0, 0, 0, 0] = np.inf


@pytest.mark.parametrize('edit, message', [
    (lambda a: _nan(a['keypoint']),
     r'2 non-finite keypoint values, the first nan at \(person, frame, '
     r'joint, coordinate\) \(0, 3, 7, 1\)'),
    (lambda a: _inf(a['keypoint']), 'non-finite keypoint values, the first '
     'inf'),
    (lambda a: a.update(keypoint=a['keypoint'][:, :, :20]),
     r'keypoint \(1, 10, 20, 3\) has 20 joints; the layout has 25'),
    (lambda a: a.update(keypoint=a['keypoint'][:, :0]),
     'empty keypoint .* no frame'),
    (lambda a: a.update(keypoint=a['keypoint'][0]),
     r'must be a float array \(M, T, V, C\)'),
    (lambda a: a.update(keypoint=a['keypoint'].astype(str)),
     r'must be a float array'),
    (lambda a: a.update(keypoint=a['keypoint'][..., :1]),
     'C must be 2 or 3'),
    (lambda a: a.update(total_frames=12),
     'total_frames is 12 but keypoint has 10 frames'),
    (lambda a: a.pop('keypoint'), 'no "keypoint"'),
])
def test_a_bad_sample_stops_loading_by_name(tmp_path, edit, message):
    annotations = _samples()
    edit(annotations[2])
    path = _write(tmp_path / 'bad.pkl', annotations)
    with pytest.raises(ValueError) as info:
        _load(path)
    text = str(info.value)
    assert f'{path} (split xsub_train): 1 invalid sample(s): ' \
        'S001C001P002R001A001: ' in text
    assert re.search(message, text), text


def test_every_bad_sample_is_counted_and_the_first_ones_named(tmp_path):
    annotations = _samples(8)
    for ann in annotations[1:]:
        _nan(ann['keypoint'])
    with pytest.raises(ValueError) as info:
        _load(_write(tmp_path / 'bad.pkl', annotations))
    text = str(info.value)
    assert '7 invalid sample(s)' in text and '... and 2 more' in text
    assert 'S001C001P001R001A001' in text
    assert 'S001C001P000R001A001' not in text  # the good one


def test_num_joints_none_accepts_any_layout_shared_by_all(tmp_path):
    annotations = _samples()
    for ann in annotations:
        ann['keypoint'] = ann['keypoint'][:, :, :17]
    path = _write(tmp_path / 'coco.pkl', annotations)
    with pytest.raises(ValueError, match='has 17 joints; the layout has 25'):
        _load(path)
    assert len(_load(path, num_joints=None)) == 6
    annotations[4]['keypoint'] = annotations[4]['keypoint'][:, :, :15]
    with pytest.raises(ValueError, match='has 15 joints; the first sample '
                       'has 17'):
        _load(_write(tmp_path / 'mixed.pkl', annotations), num_joints=None)


def test_pipeline_errors_name_the_sample(tmp_path):
    path = _write(tmp_path / 'ok.pkl', _samples())
    dataset = SkeletonPoseDataset(
        ann_file=path, split='xsub_train',
        pipeline=[dict(type='JointCorruption', num_joints=30)] + PIPELINE)
    with pytest.raises(ValueError) as info:
        dataset[3]
    assert str(info.value).startswith(
        f'sample S001C001P003R001A001 (index 3 of {path}): ValueError: '
        'JointCorruption: num_joints=30 exceeds the 25 joints')
    # Through a KNNEvalDataset too.
    knn = KNNEvalDataset(bank=dataset, query=dataset)
    with pytest.raises(ValueError, match='sample S001C001P001R001A001'):
        knn[7]


def test_the_missing_data_hint_says_only_what_works(tmp_path):
    with pytest.raises(FileNotFoundError) as info:
        _load(str(tmp_path / 'ntu60_3d.pkl'))
    assert 'tools/data/ntu/convert.py' in str(info.value)
    # Each dataset reads its own ann_file: the hint names them, not a
    # top-level `ann_file=` that no dataset would see.
    assert '--cfg-options ann_file=' not in PREPARE_HINT
    for key in ('train_dataloader.dataset.ann_file',
                'val_dataloader.dataset.bank.ann_file',
                'val_dataloader.dataset.query.ann_file'):
        assert key in PREPARE_HINT


def test_the_demo_data_passes_the_checks():
    dataset = DemoSkeletonDataset(pipeline=PIPELINE, num_subjects=2,
                                  repeats=1)
    assert len(dataset) == 12  # 12 classes of the one training subject


NORMALIZE = [dict(type='SkeletonNormalize3D', centre_joint=0, zaxis=(0, 1),
                  xaxis=(8, 4))]


def test_preprocess_runs_once_at_load_and_equals_the_pipeline(tmp_path):
    path = _write(tmp_path / 'ok.pkl', _samples())
    once = _load(path, preprocess=NORMALIZE)
    every_epoch = SkeletonPoseDataset(ann_file=path, split='xsub_train',
                                      pipeline=NORMALIZE + PIPELINE)
    raw = _load(path)
    for i in range(len(raw)):
        # Stored normalised: the hip at the origin in every frame.
        stored = once.get_data_info(i)['keypoint']
        assert np.abs(stored[:, :, 0]).max() < 1e-6
        assert not np.allclose(stored, raw.get_data_info(i)['keypoint'])
        assert np.array_equal(once[i]['inputs'].numpy(),
                              every_epoch[i]['inputs'].numpy())


class _Fails:
    """A preprocess step that breaks on one sample, or returns ``result``."""

    def __init__(self, on=None, result=None):
        self.on, self.result = on, result

    def __call__(self, results):
        if results['frame_dir'] == self.on:
            raise RuntimeError('cannot normalise this one')
        return self.result(results) if self.result else results


def _nan_first(results):
    results['keypoint'] = results['keypoint'].copy()
    results['keypoint'][0, 0, 0, 0] = np.nan
    return results


@pytest.mark.parametrize('step, message', [
    (_Fails(on='S001C001P004R001A001'),
     r'sample S001C001P004R001A001 \(index 4 of .*ok.pkl \(split '
     r'xsub_train\), preprocess\): RuntimeError: cannot normalise this one'),
    (_Fails(result=lambda r: None),
     r'index 0 .* a transform returned None \(it would drop the sample\)'),
    (dict(type='RandomShear', beta=1.0),
     'gives two different results for the same sample: it draws random'),
    (_Fails(result=_nan_first),
     r'ok.pkl \(split xsub_train\) after preprocess: 6 invalid sample\(s\): '
     'S001C001P000R001A001: 1 non-finite keypoint values'),
])
def test_a_preprocess_that_fails_drops_or_draws_stops_loading(
        tmp_path, step, message):
    path = _write(tmp_path / 'ok.pkl', _samples())
    with pytest.raises((ValueError, RuntimeError), match=message):
        _load(path, preprocess=[step])
    with pytest.raises(TypeError, match='preprocess must be a list'):
        _load(path, preprocess=dict(type='SkeletonNormalize3D'))
