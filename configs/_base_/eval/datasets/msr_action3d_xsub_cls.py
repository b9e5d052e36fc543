# MSR Action3D cross-subject (20 classes; odd subjects train, even test),
# labelled: N-UCLA's clips and loaders (nw_ucla_xview_cls.py) with this set's
# file, splits and normalisation, as in pretraining (configs/_base_/
# datasets/msr_action3d_xsub_ssl.py: hip-centred per frame, unit scale, no
# rotation).
_base_ = ['./nw_ucla_xview_cls.py']
ann_file = 'data/skeleton/msr_action3d_3d.pkl'
normalize = [
    dict(
        type='SkeletonNormalize3D',
        centre_joint=0,
        zaxis=None,
        xaxis=None,
        unit_scale=True)
]
train_dataloader = dict(
    dataset=dict(ann_file=ann_file, split='xsub_train', preprocess=normalize))
val_dataloader = dict(
    dataset=dict(ann_file=ann_file, split='xsub_val', preprocess=normalize))
test_dataloader = val_dataloader
