"""Helpers shared by the converter tests (not a test module)."""
import pickle
from pathlib import Path

import numpy as np
import pytest

REPO_ROOT = Path(__file__).parents[3]
SHARED_DATA = REPO_ROOT / '..' / 'shared' / 'data'

PIPELINE = [
    dict(type='PreNormalize3D'),
    dict(type='GenSkeFeat', dataset='nturgb+d', feats=['j']),
    dict(type='UniformSampleFrames', clip_len=16),
    dict(type='PoseDecode'),
    dict(type='FormatGCNInput', num_person=2),
    dict(type='PackActionInputs'),
]


def shared_data(*parts: str) -> Path:
    """A path under ../shared/data, or skip the test when it is absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f'real data not available: {path}')
    return path


def load_pickle(path) -> dict:
    with open(path, 'rb') as f:
        return pickle.load(f)


def annotations_by_name(path) -> dict:
    return {a['frame_dir']: a for a in load_pickle(path)['annotations']}


def check_pose_dataset(ann_file, split: str, num_joints: int = 25) -> None:
    """MMAction2's PoseDataset loads ``split`` and yields a sample."""
    import halp_mmaction  # noqa: F401  (mmaction2 1.2.0 compat fixes)
    from mmaction.datasets import PoseDataset  # registers the transforms
    from mmengine.registry import init_default_scope
    init_default_scope('mmaction')

    dataset = PoseDataset(ann_file=str(ann_file), pipeline=PIPELINE,
                          split=split)
    assert len(dataset) > 0
    sample = dataset[0]
    inputs = sample['inputs']
    # (num_clips, num_person, clip_len, V, C)
    assert tuple(inputs.shape) == (1, 2, 16, num_joints, 3)
    assert np.isfinite(inputs.numpy()).all()
    assert sample['data_samples'].gt_label.item() == \
        dataset.get_data_info(0)['label']


def check_annotation(anno: dict) -> None:
    """The structure every converter writes."""
    keypoint = anno['keypoint']
    assert keypoint.dtype == np.float32 and keypoint.ndim == 4
    assert 1 <= keypoint.shape[0] <= 2 and keypoint.shape[-1] == 3
    assert anno['total_frames'] == keypoint.shape[1] > 0
    assert isinstance(anno['label'], int) and anno['label'] >= 0
    assert isinstance(anno['frame_dir'], str)
