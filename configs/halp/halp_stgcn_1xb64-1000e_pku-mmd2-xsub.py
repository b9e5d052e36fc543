# HaLP with ST-GCN on PKU-MMD II cross-subject, the whole recipe in one run:
# MoCo for epochs 0-499, then MoCo + HaLP to epoch 1000 (lr x0.1 at 800).
_base_ = [
    '../_base_/models/halp_stgcn.py',
    '../_base_/datasets/pku_mmd2_xsub_ssl.py',
    '../_base_/schedules/sgd_pku-mmd2_1000e.py',
    '../_base_/ssl_runtime.py',
]

# mu 1 on PKU-MMD II (2 on NTU).
model = dict(halp_head=dict(loss_weight=1.0))

custom_hooks = _base_.custom_hooks + [
    dict(type='HaLPScheduleHook', start_epoch=500)
]
