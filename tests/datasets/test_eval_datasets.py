import pickle

import numpy as np
import pytest
from mmaction.registry import DATASETS

from halp_mmaction.datasets import KNNEvalDataset, SkeletonPoseDataset

PIPELINE = [
    dict(type='TemporalCropResize', clip_len=8, crop_ratio=1.0,
         min_crop_len=1, center=True),
    dict(type='FormatGCNInput', num_person=2),
    dict(type='PackActionInputs'),
]


def _write_pickle(path, num=6):
    annotations = [
        dict(frame_dir=f'S001C001P00{i}R001A001', label=i % 3,
             keypoint=np.random.rand(1, 10, 25, 3).astype(np.float32),
             total_frames=10) for i in range(num)
    ]
    names = [a['frame_dir'] for a in annotations]
    with open(path, 'wb') as f:
        pickle.dump(dict(split=dict(xsub_train=names[:4],
                                    xsub_val=names[4:]),
                         annotations=annotations), f)
    return path


def test_missing_pickle_says_how_to_prepare_it(tmp_path):
    with pytest.raises(FileNotFoundError, match='tools/data/ntu/convert.py'):
        SkeletonPoseDataset(ann_file=str(tmp_path / 'ntu60_3d.pkl'),
                            pipeline=PIPELINE, split='xsub_train')


def test_unknown_split_lists_the_available_ones(tmp_path):
    ann = _write_pickle(tmp_path / 'a.pkl')
    with pytest.raises(KeyError, match='xview_train.*it has .*xsub_train.*xsub_val'):
        SkeletonPoseDataset(ann_file=str(ann), pipeline=PIPELINE,
                            split='xview_train')
    ds = SkeletonPoseDataset(ann_file=str(ann), pipeline=PIPELINE,
                             split='xsub_val')
    assert len(ds) == 2


def test_knn_eval_dataset_marks_bank_and_query(tmp_path):
    ann = str(_write_pickle(tmp_path / 'a.pkl'))
    ds = DATASETS.build(dict(
        type='KNNEvalDataset',
        bank=dict(type='SkeletonPoseDataset', ann_file=ann,
                  split='xsub_train', pipeline=PIPELINE, test_mode=True),
        query=dict(type='SkeletonPoseDataset', ann_file=ann,
                   split='xsub_val', pipeline=PIPELINE, test_mode=True)))
    assert isinstance(ds, KNNEvalDataset) and len(ds) == 6
    roles = [ds[i]['data_samples'].knn_bank for i in range(6)]
    assert roles == [True] * 4 + [False] * 2
    assert ds[0]['inputs'].shape == (1, 2, 8, 25, 3)
