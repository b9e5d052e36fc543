# HaLP on N-UCLA cross-view: the tiny ST-GCN with the small-data HaLP head
# (_base_/models/halp_stgcn-tiny.py), on for the second half of training;
# pretrains on the 1,020 training sequences of views 1 and 2 (labels unused)
# in about 35 minutes on one CPU core. The MoCo config beside it is the
# control (the same run without the head). tools/benchmarks/real_data.py
# --dataset nw_ucla runs both and probes them.
#
# The tiny ST-GCN at twice its width (64 channels, the last block 128: a
# 128-d feature): on N-UCLA's 1,020 sequences it gave linear / 1-NN 84.5 /
# 79.3 % against 82.1 / 76.5 % at 32 channels (MoCo, 100 epochs, seed 0).
_base_ = [
    '../_base_/models/halp_stgcn-tiny.py',
    '../_base_/datasets/nw_ucla_xview_ssl.py',
    '../_base_/schedules/sgd_cosine_ssl.py',
    '../_base_/default_runtime.py',
]

model = dict(
    backbone=dict(base_channels=64),
    neck=dict(in_channels=128, hid_channels=256, out_channels=128),
    feat_dim=128)
max_epochs = 100
train_cfg = dict(max_epochs=max_epochs)
param_scheduler = [
    dict(type='CosineAnnealingLR', by_epoch=True, T_max=max_epochs,
         eta_min=0)
]
default_hooks = dict(
    logger=dict(interval=63),
    checkpoint=dict(interval=max_epochs, save_best=None))
randomness = dict(seed=0)
