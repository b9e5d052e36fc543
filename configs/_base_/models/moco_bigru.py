# MoCo v2 with the paper's encoder: a 3-layer bidirectional GRU (hidden 1024,
# 2048-d feature) and the official `--mlp` projection 2048-2048-128.
_base_ = ['./skeleton_moco.py']

model = dict(
    backbone=dict(type='BiGRU', hidden_channels=1024, num_layers=3),
    neck=dict(
        type='ProjectionMLP', in_channels=2048, hid_channels=2048,
        out_channels=128))
