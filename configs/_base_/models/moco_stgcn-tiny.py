# MoCo v2 sized for small real sets on a CPU (N-UCLA, MSR Action3D): a
# 3-block ST-GCN on the NTU 25-joint graph (32 channels, the last block 64,
# stride 2 at the second: a 64-d feature), a 64-128-64 projection, a
# 512-key queue (about half of N-UCLA's training set, so a sample's own
# older key is rarely a negative), tau 0.07 and key momentum 0.99 (0.999
# would barely move in the few thousand steps of such a run).
_base_ = ['./skeleton_moco.py']

model = dict(
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
    queue_len=512,
    feat_dim=64)
custom_hooks = [
    dict(type='MomentumUpdateHook', momentum=0.99),
    dict(type='RandomStateHook'),
]
