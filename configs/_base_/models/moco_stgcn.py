# MoCo v2 with MMAction2's ST-GCN (NTU 25-joint graph) and a 256-256-128 MLP
# projection.
_base_ = ['./skeleton_moco.py']

model = dict(
    backbone=dict(
        type='STGCN', graph_cfg=dict(layout='nturgb+d', mode='stgcn_spatial')),
    neck=dict(
        type='ProjectionMLP', in_channels=256, hid_channels=256,
        out_channels=128))
