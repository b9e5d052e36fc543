# MoCo v2 with MMAction2's ST-GCN (NTU 25-joint graph); the HaLP recipe's
# contrastive settings: 128-d MLP projection, queue 16384, tau 0.07, m 0.999.
model = dict(
    type='SkeletonMoCo',
    backbone=dict(
        type='STGCN', graph_cfg=dict(layout='nturgb+d', mode='stgcn_spatial')),
    neck=dict(
        type='ProjectionMLP', in_channels=256, hid_channels=256,
        out_channels=128),
    head=dict(type='ContrastiveHead', temperature=0.07),
    queue_len=16384,
    feat_dim=128)

custom_hooks = [dict(type='MomentumUpdateHook', momentum=0.999)]
