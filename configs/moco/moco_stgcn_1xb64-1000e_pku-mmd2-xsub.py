# MoCo v2 with ST-GCN on PKU-MMD II cross-subject on the schedule of the whole
# HaLP recipe (1000 epochs, lr x0.1 at 800): plain MoCo for as long as HaLP
# trains, a control the paper does not report.
_base_ = [
    '../_base_/models/moco_stgcn.py',
    '../_base_/datasets/pku_mmd2_xsub_ssl.py',
    '../_base_/schedules/sgd_pku-mmd2_1000e.py',
    '../_base_/ssl_runtime.py',
]
