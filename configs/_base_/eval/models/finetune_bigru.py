# Fine-tuning the BiGRU: RecognizerGCN takes any skeleton backbone; the
# head is SkeletonLinearHead for its (N, 2048) feature.
model = dict(
    type='RecognizerGCN',
    backbone=dict(
        type='BiGRU',
        init_cfg=dict(type='Pretrained', checkpoint='', prefix='backbone.')),
    cls_head=dict(type='SkeletonLinearHead', num_classes=60, in_channels=2048))
