# MSR Action3D cross-subject (odd subjects train, even subjects test) for
# self-supervised pretraining with kNN evaluation; the converter's pickle
# (tools/data/msr_action3d/convert.py), one person in the NTU layout. The
# views, clips and loaders are N-UCLA's (nw_ucla_xview_ssl.py: the same
# Kinect v1 joints); only the file, the splits and the normalisation differ.
#
# Normalisation: centred on the hip (joint 0) in every frame and scaled to a
# unit mean joint distance, no rotation: MSR Action3D has one camera facing
# the subject, so turning to a canonical view only adds the noise of Kinect
# v1's shoulders (raw-pose 1-NN 70.5 % hip-centred, 66.9 % view-aligned).
_base_ = ['./nw_ucla_xview_ssl.py']

ann_file = 'data/skeleton/msr_action3d_3d.pkl'
train_split, val_split = 'xsub_train', 'xsub_val'
normalize = [
    dict(
        type='SkeletonNormalize3D',
        centre_joint=0,
        zaxis=None,
        xaxis=None,
        unit_scale=True)
]
# N-UCLA's pipelines, with this normalisation in place of theirs.
train_dataloader = dict(
    dataset=dict(ann_file=ann_file, split=train_split, preprocess=normalize))
val_dataloader = dict(
    dataset=dict(
        bank=dict(ann_file=ann_file, split=train_split, preprocess=normalize),
        query=dict(ann_file=ann_file, split=val_split, preprocess=normalize)))
test_dataloader = val_dataloader
