# Linear evaluation of a pretrained ST-GCN: the encoder frozen (weights and
# batch-norm statistics: FrozenBackboneRecognizer keeps it in eval mode), a
# linear classifier (GCNHead: pooled 256-d feature -> classes) trained.
#
# The pretraining checkpoint's query encoder (`backbone.*` in SkeletonMoCo)
# loads into `backbone` through mmengine's Pretrained init with the prefix
# stripped. `checkpoint` is filled in by tools/eval/train_classifier.py
# (which first checks that every backbone key is in the checkpoint), or by
# hand: --cfg-options model.backbone.init_cfg.checkpoint=PRETRAIN.pth
model = dict(
    type='FrozenBackboneRecognizer',
    backbone=dict(
        type='STGCN',
        graph_cfg=dict(layout='nturgb+d', mode='stgcn_spatial'),
        init_cfg=dict(type='Pretrained', checkpoint='', prefix='backbone.')),
    cls_head=dict(type='GCNHead', num_classes=60, in_channels=256))
