# MoCo v2 with the paper's BiGRU on NTU-60 cross-subject on the schedule of the
# whole HaLP recipe (450 epochs, lr x0.1 at 350): plain MoCo for as long as
# HaLP trains, a control the paper does not report.
_base_ = [
    '../_base_/models/moco_bigru.py',
    '../_base_/datasets/ntu60_xsub_ssl.py',
    '../_base_/schedules/sgd_ntu_450e.py',
    '../_base_/ssl_runtime.py',
]
