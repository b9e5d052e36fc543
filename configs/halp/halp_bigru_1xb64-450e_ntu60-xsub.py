# HaLP with the paper's BiGRU on NTU-60 cross-subject, the whole recipe in one
# run: MoCo for epochs 0-199, then MoCo + HaLP to epoch 450 (lr x0.1 at 350).
_base_ = [
    '../_base_/models/halp_bigru.py',
    '../_base_/datasets/ntu60_xsub_ssl.py',
    '../_base_/schedules/sgd_ntu_450e.py',
    '../_base_/ssl_runtime.py',
]

custom_hooks = _base_.custom_hooks + [
    dict(type='HaLPScheduleHook', start_epoch=200)
]
