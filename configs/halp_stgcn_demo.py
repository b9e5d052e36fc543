# HaLP on the embedded demo dataset (generated in memory, no download): a
# small ST-GCN, 32-frame views, batch 32, a 256-key queue. Pretrains in a few
# minutes on 2 CPU cores and reports the 1-NN kNN top-1 on the demo's
# cross-subject val split every 10 epochs (12 classes: chance is 8.3 %).
_base_ = [
    './_base_/models/halp_stgcn-tiny.py',
    './_base_/datasets/ntu60_xsub_ssl.py', './_base_/default_runtime.py'
]

# The small-data HaLP head of halp_stgcn-tiny.py (10 prototypes from the 128
# newest keys every 5 iterations, the positives inside the contrastive
# softmax) on a narrower, deeper ST-GCN.
model = dict(
    backbone=dict(
        base_channels=16, num_stages=4, inflate_stages=[3], down_stages=[3]),
    neck=dict(in_channels=32, hid_channels=128, out_channels=64),
    queue_len=256,
    feat_dim=64)
# As the official recipe (MoCo first, HaLP on top of that checkpoint), plain
# MoCo for the first half, then HaLP. Switched on from scratch, HaLP's pull
# outweighs the contrast of this small queue and the embedding collapses.
# The key momentum is the recipe's 0.999.
custom_hooks = [
    dict(type='MomentumUpdateHook', momentum=0.999),
    dict(type='RandomStateHook'),
    dict(type='HaLPScheduleHook', start_fraction=0.5),
]

clip_len = 32
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
# The demo data is in Kinect-like camera coordinates (turned by camera,
# performer and heading), like NTU's recordings: PreNormalize3D (vectorised)
# aligns it, once per sample when the datasets load.
normalize = [dict(type='VectorizedPreNormalize3D')]
# The views are made per sample in the worker (the README's figures were
# measured so); `--cfg-options views_on_device=True` makes them on the
# model's device instead (SkeletonViewPreprocessor).
views_on_device = False
train_pipeline = [
    dict(type='TwoViews', transforms=view_transforms),
    dict(type='FormatGCNInput', num_person=2),
    dict(type='PackActionInputs'),
]
test_pipeline = [
    dict(
        type='TemporalCropResize',
        clip_len=clip_len,
        crop_ratio=(1.0, 1.0),
        min_crop_len=1,
        center=True),
    dict(type='FormatGCNInput', num_person=2),
    dict(type='PackActionInputs'),
]
demo_set = dict(
    type='DemoSkeletonDataset', preprocess=normalize, _delete_=True)
train_dataloader = dict(
    batch_size=32,
    num_workers=1,
    dataset=dict(split='xsub_train', pipeline=train_pipeline, **demo_set))
val_dataloader = dict(
    batch_size=64,
    num_workers=2,
    dataset=dict(
        bank=dict(
            split='xsub_train',
            pipeline=test_pipeline,
            test_mode=True,
            **demo_set),
        query=dict(
            split='xsub_val', pipeline=test_pipeline, test_mode=True,
            **demo_set)))
test_dataloader = val_dataloader

train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=40, val_interval=10)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.05, momentum=0.9, weight_decay=1e-4))
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=True, milestones=[35], gamma=0.1)
]
default_hooks = dict(
    logger=dict(interval=10),
    checkpoint=dict(interval=10, max_keep_ckpts=2))
randomness = dict(seed=0)
