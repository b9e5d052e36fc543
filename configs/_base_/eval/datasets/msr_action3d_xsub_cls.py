# MSR Action3D cross-subject (20 classes; odd subjects train, even test),
# labelled: one person, 32-frame clips (the median sequence has 39 frames).
# The pickle is the converter's output normalised once by
# tools/benchmarks/msr_action3d.py (centred on the hip centre in every frame,
# unit mean joint distance per sequence), hence no PreNormalize3D.
_base_ = ['./skeleton_cls.py']
ann_file = 'data/skeleton/msr_action3d_3d_hipnorm.pkl'
clip_len = 32
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
        ann_file=ann_file, split='xsub_train', pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=64,
    num_workers=0,
    persistent_workers=False,
    dataset=dict(ann_file=ann_file, split='xsub_val', pipeline=test_pipeline))
test_dataloader = val_dataloader
