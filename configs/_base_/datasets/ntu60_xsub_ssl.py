# NTU RGB+D 60 cross-subject for self-supervised pretraining with kNN
# evaluation. The pickle is MMAction2's skeleton format (ntu60_3d.pkl). The
# other datasets and splits (ntu60_xview_ssl.py, ntu120_*_ssl.py,
# pku_mmd2_xsub_ssl.py) inherit this file and change only files and splits.
#
# Normalisation: the official preprocessing of HaLP / CMD (2s-AGCN's
# pre_normalization, which made the .npy sets their figures come from), as
# the vectorised SkeletonNormalize3D: a vanished person padded by repeating
# its frames, the main person's spine (joint 1) subtracted in every frame
# (the trajectory is removed), then one rotation from the first frame: hip
# -> spine onto z, right -> left shoulder onto x. Pickles converted from the
# official .npy arrays are normalised already: set `normalize = []` for
# them (a second pass turns them by a fraction of a degree: the shoulder
# rotation tilts the spine off z). MMAction2's PreNormalize3D
# (VectorizedPreNormalize3D, its vectorised drop-in) centres on the first
# frame only and drops the frames where the main person is absent:
# `normalize = [dict(type='VectorizedPreNormalize3D')]` to use it.
dataset_type = 'SkeletonPoseDataset'
ann_file = 'data/skeleton/ntu60_3d.pkl'
train_split, val_split = 'xsub_train', 'xsub_val'
clip_len = 64
normalize = [dict(type='SkeletonNormalize3D')]

# The official views: temporal crop-resize to 64 frames, then either joint
# corruption or shear.
view_transforms = [
    dict(
        type='TemporalCropResize',
        clip_len=clip_len,
        crop_ratio=(0.1, 1.0),
        min_crop_len=64),
    dict(
        type='RandomChoice',
        transforms=[[dict(type='JointCorruption')],
                    [dict(type='RandomShear', beta=1.0)]]),
]
# The views are made on the model's device: tools/train.py replaces TwoViews
# by model.data_preprocessor = SkeletonViewPreprocessor(view_transforms), the
# same transforms batched (the same distributions, tested transform by
# transform), so the workers only load the normalised sequences.
# `--cfg-options views_on_device=False` makes them per sample in the workers
# again.
views_on_device = True
# True: the crop-resize and the shear or corruption in one torch.compile
# kernel (2.3 x the eager views on 2 CPU threads, the same views to float
# rounding; each batch size compiles once, in seconds). Off by default until
# it has been measured on a GPU.
compile_views = False
train_pipeline = [
    dict(type='TwoViews', transforms=view_transforms),
    dict(type='FormatGCNInput', num_person=2),
    dict(type='PackActionInputs'),
]
test_pipeline = [
    dict(
        type='TemporalCropResize',
        clip_len=clip_len,
        crop_ratio=(0.95, 0.95),
        min_crop_len=1,
        center=True),
    dict(type='FormatGCNInput', num_person=2),
    dict(type='PackActionInputs'),
]

train_dataloader = dict(
    batch_size=64,
    num_workers=4,
    persistent_workers=True,
    drop_last=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        ann_file=ann_file,
        split=train_split,
        preprocess=normalize,
        pipeline=train_pipeline))
# kNN: features of the labelled training split (bank) classify the val split.
val_dataloader = dict(
    batch_size=64,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='KNNEvalDataset',
        bank=dict(
            type=dataset_type,
            ann_file=ann_file,
            split=train_split,
            preprocess=normalize,
            pipeline=test_pipeline,
            test_mode=True),
        query=dict(
            type=dataset_type,
            ann_file=ann_file,
            split=val_split,
            preprocess=normalize,
            pipeline=test_pipeline,
            test_mode=True)))
test_dataloader = val_dataloader
val_evaluator = dict(type='KNNMetric', num_neighbors=1)
test_evaluator = val_evaluator
