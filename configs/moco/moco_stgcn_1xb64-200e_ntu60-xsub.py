# MoCo v2 with ST-GCN on NTU-60 cross-subject for 200 epochs at constant lr:
# the MoCo baseline, and stage 1 of HaLP
# (halp/halp_stgcn_moco-200e-pre_1xb64-250e_ntu60-xsub.py).
_base_ = [
    '../_base_/models/moco_stgcn.py',
    '../_base_/datasets/ntu60_xsub_ssl.py',
    '../_base_/schedules/sgd_moco_200e.py',
    '../_base_/ssl_runtime.py',
]
