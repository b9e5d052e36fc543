# Fine-tuning: MMAction2's RecognizerGCN, the whole ST-GCN trained from the
# pretrained weights (see linear_stgcn.py for the checkpoint) with a linear
# GCNHead. Also the semi-supervised protocol, on a labelled subset.
model = dict(
    type='RecognizerGCN',
    backbone=dict(
        type='STGCN',
        graph_cfg=dict(layout='nturgb+d', mode='stgcn_spatial'),
        init_cfg=dict(type='Pretrained', checkpoint='', prefix='backbone.')),
    cls_head=dict(type='GCNHead', num_classes=60, in_channels=256))
