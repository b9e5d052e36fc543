# MSR Action3D cross-subject (odd subjects train, even subjects test) for
# self-supervised pretraining with kNN evaluation; the converter's pickle
# (tools/data/msr_action3d/convert.py), one person in the NTU layout.
#
# Normalisation: centred on the hip (joint 0) in every frame and scaled to a
# unit mean joint distance, no rotation: MSR Action3D has one camera facing
# the subject, so turning to a canonical view only adds the noise of Kinect
# v1's shoulders (raw-pose 1-NN 70.5 % hip-centred, 66.9 % view-aligned).
#
# Views: 32-frame clips (median sequence: 39 frames) of a random 50-100 %
# crop, then joint corruption (8 joints) or a shear of up to 0.5, as the
# official views but milder for 20 tracked joints.
dataset_type = 'SkeletonPoseDataset'
ann_file = 'data/skeleton/msr_action3d_3d.pkl'
train_split, val_split = 'xsub_train', 'xsub_val'
clip_len = 32
normalize = [
    dict(
        type='SkeletonNormalize3D',
        centre_joint=0,
        zaxis=None,
        xaxis=None,
        unit_scale=True)
]
view_transforms = [
    dict(
        type='TemporalCropResize',
        clip_len=clip_len,
        crop_ratio=(0.5, 1.0),
        min_crop_len=clip_len),
    dict(
        type='RandomChoice',
        transforms=[[dict(type='JointCorruption', num_joints=8)],
                    [dict(type='RandomShear', beta=0.5)]]),
]
train_pipeline = normalize + [
    dict(type='TwoViews', transforms=view_transforms),
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
    batch_size=16,
    num_workers=0,
    drop_last=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        ann_file=ann_file,
        split=train_split,
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=64,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='KNNEvalDataset',
        bank=dict(
            type=dataset_type,
            ann_file=ann_file,
            split=train_split,
            pipeline=test_pipeline,
            test_mode=True),
        query=dict(
            type=dataset_type,
            ann_file=ann_file,
            split=val_split,
            pipeline=test_pipeline,
            test_mode=True)))
test_dataloader = val_dataloader
val_evaluator = dict(type='KNNMetric', num_neighbors=1)
test_evaluator = val_evaluator
