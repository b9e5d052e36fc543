# MoCo v2 on MSR Action3D: self-supervised pretraining on the 291 training
# (odd-subject) sequences, labels unused; the baseline of
# tools/benchmarks/msr_action3d.py, which runs it (and the HaLP config, the
# same plus the HaLP head) through tools/train.py and probes the encoder.
#
# Sized for 2 CPU cores and 291 sequences: a 3-block ST-GCN (32 channels,
# the last block 64, stride 2 at the second: a 64-d feature), 32-frame clips,
# batch 16 (18 steps an epoch: on so little data more, smaller steps learned
# better than batch 32 in the same time), a 256-key queue (about the whole
# training set), key momentum 0.99, SGD lr 0.05 with a cosine decay over 200
# epochs (100 epochs: HaLP 70.2 % 1-NN, 200: 70.9 %; see docs/evaluation.md).
#
# Data: the converter's pickle normalised once by the benchmark (centred on
# the hip centre in every frame, unit mean joint distance per sequence): see
# configs/_base_/eval/datasets/msr_action3d_xsub_cls.py.
_base_ = ['mmaction::_base_/default_runtime.py']
custom_imports = dict(imports=['halp_mmaction'], allow_failed_imports=False)

ann_file = 'data/skeleton/msr_action3d_3d_hipnorm.pkl'
clip_len = 32
max_epochs = 200

model = dict(
    type='SkeletonMoCo',
    backbone=dict(
        type='STGCN',
        graph_cfg=dict(layout='nturgb+d', mode='stgcn_spatial'),
        base_channels=32,
        num_stages=3,
        inflate_stages=[3],
        down_stages=[2]),
    neck=dict(
        type='ProjectionMLP', in_channels=64, hid_channels=128,
        out_channels=64),
    head=dict(type='ContrastiveHead', temperature=0.07),
    queue_len=256,
    feat_dim=64)
custom_hooks = [dict(type='MomentumUpdateHook', momentum=0.99)]

# The official views (crop-resize, then joint corruption or shear), milder
# for 20-joint Kinect v1 skeletons: 8 joints, shear 0.5, crops of >= 50 %.
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
train_pipeline = [
    dict(type='TwoViews', transforms=view_transforms),
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
dataset_type = 'SkeletonPoseDataset'
train_dataloader = dict(
    batch_size=16,
    num_workers=0,
    drop_last=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        ann_file=ann_file,
        split='xsub_train',
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
            split='xsub_train',
            pipeline=test_pipeline,
            test_mode=True),
        query=dict(
            type=dataset_type,
            ann_file=ann_file,
            split='xsub_val',
            pipeline=test_pipeline,
            test_mode=True)))
test_dataloader = val_dataloader
val_evaluator = dict(type='KNNMetric', num_neighbors=1)
test_evaluator = val_evaluator

train_cfg = dict(
    type='EpochBasedTrainLoop', max_epochs=max_epochs, val_interval=10)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.05, momentum=0.9, weight_decay=1e-4))
param_scheduler = [
    dict(type='CosineAnnealingLR', by_epoch=True, T_max=max_epochs,
         eta_min=0)
]
default_hooks = dict(
    logger=dict(interval=18),
    checkpoint=dict(interval=max_epochs, save_best=None))
randomness = dict(seed=0)
