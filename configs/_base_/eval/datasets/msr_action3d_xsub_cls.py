# MSR Action3D cross-subject (20 classes; odd subjects train, even test),
# labelled: one person, 32-frame clips (the median sequence has 39 frames),
# normalised as in pretraining (configs/_base_/datasets/
# msr_action3d_xsub_ssl.py: hip-centred per frame, unit scale, no rotation).
_base_ = ['./skeleton_cls.py']
ann_file = 'data/skeleton/msr_action3d_3d.pkl'
clip_len = 32
normalize = [
    dict(
        type='SkeletonNormalize3D',
        centre_joint=0,
        zaxis=None,
        xaxis=None,
        unit_scale=True)
]
train_pipeline = normalize + [
    dict(
        type='TemporalCropResize',
        clip_len=clip_len,
        crop_ratio=(0.5, 1.0),
        min_crop_len=clip_len),
    dict(type='FormatGCNInput', num_person=1),
    dict(type='PackActionInputs'),
]
test_pipeline = normalize + [
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
        ann_file=ann_file, split='xsub_train', pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=64,
    num_workers=0,
    persistent_workers=False,
    dataset=dict(ann_file=ann_file, split='xsub_val', pipeline=test_pipeline))
test_dataloader = val_dataloader
