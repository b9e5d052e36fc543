# Linear evaluation of a pretrained BiGRU (the paper's encoder): frozen
# encoder, a linear classifier on its 2048-d last-step feature.
# SkeletonLinearHead takes (N, C) features, which GCNHead cannot.
# See linear_stgcn.py for the checkpoint.
model = dict(
    type='FrozenBackboneRecognizer',
    backbone=dict(
        type='BiGRU',
        init_cfg=dict(type='Pretrained', checkpoint='', prefix='backbone.')),
    cls_head=dict(type='SkeletonLinearHead', num_classes=60, in_channels=2048))
