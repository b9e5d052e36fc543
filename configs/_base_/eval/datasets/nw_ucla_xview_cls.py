# N-UCLA cross-view (10 classes; views 1 and 2 train, view 3 tests),
# labelled: one person, 32-frame clips, normalised as in pretraining
# (configs/_base_/datasets/nw_ucla_xview_ssl.py: hip-centred per frame,
# turned to the canonical view, unit scale).
_base_ = ['./skeleton_cls.py']
ann_file = 'data/skeleton/nw_ucla_3d.pkl'
clip_len = 32
normalize = [
    dict(
        type='SkeletonNormalize3D',
        centre_joint=0,
        zaxis=(0, 20),
        xaxis=(8, 4),
        align_frames='all',
        unit_scale=True)
]
train_pipeline = [
    dict(
        type='TemporalCropResize',
        clip_len=clip_len,
        crop_ratio=(0.5, 1.0),
        min_crop_len=clip_len),
    dict(type='FormatGCNInput', num_person=1),
    dict(type='PackActionInputs'),
]
test_pipeline = [
    dict(
        type='TemporalCropResize',
        clip_len=clip_len,
        crop_ratio=1.0,
        min_crop_len=1,
        center=True),
    dict(type='FormatGCNInput', num_person=1),
    dict(type='PackActionInputs'),
]
train_dataloader = dict(
    batch_size=32,
    num_workers=0,
    persistent_workers=False,
    dataset=dict(
        ann_file=ann_file,
        split='xview_train',
        preprocess=normalize,
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=64,
    num_workers=0,
    persistent_workers=False,
    dataset=dict(
        ann_file=ann_file,
        split='xview_val',
        preprocess=normalize,
        pipeline=test_pipeline))
test_dataloader = val_dataloader
