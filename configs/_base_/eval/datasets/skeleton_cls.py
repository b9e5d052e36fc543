# Labelled skeleton data for the downstream protocols (linear, fine-tune,
# semi-supervised, transfer), NTU RGB+D 60 cross-subject by default; the
# other datasets' files override the annotation file and splits only.
#
# Views as in the official evaluation: training clips are a random crop of
# U(0.5, 1) of the valid frames, test clips the centred 95 %, both resized
# to 64 frames. Normalised as in pretraining, with the official
# preprocessing (SkeletonNormalize3D; see
# configs/_base_/datasets/ntu60_xsub_ssl.py), once per sample when the
# datasets load (`preprocess`).
dataset_type = 'SkeletonPoseDataset'
ann_file = 'data/skeleton/ntu60_3d.pkl'
clip_len = 64
num_person = 2
normalize = [dict(type='SkeletonNormalize3D')]

train_pipeline = [
    dict(
        type='TemporalCropResize',
        clip_len=clip_len,
        crop_ratio=(0.5, 1.0),
        min_crop_len=clip_len),
    dict(type='FormatGCNInput', num_person=num_person),
    dict(type='PackActionInputs'),
]
test_pipeline = [
    dict(
        type='TemporalCropResize',
        clip_len=clip_len,
        crop_ratio=0.95,
        min_crop_len=1,
        center=True),
    dict(type='FormatGCNInput', num_person=num_person),
    dict(type='PackActionInputs'),
]

train_dataloader = dict(
    batch_size=64,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        ann_file=ann_file,
        split='xsub_train',
        preprocess=normalize,
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=64,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        ann_file=ann_file,
        split='xsub_val',
        preprocess=normalize,
        pipeline=test_pipeline,
        test_mode=True))
test_dataloader = val_dataloader
val_evaluator = dict(type='AccMetric')
test_evaluator = val_evaluator
