# MoCo v2 with ST-GCN on PKU-MMD II cross-subject for 500 epochs at constant
# lr: the MoCo baseline, and stage 1 of HaLP
# (halp/halp_stgcn_moco-500e-pre_1xb64-500e_pku-mmd2-xsub.py).
_base_ = [
    '../_base_/models/moco_stgcn.py',
    '../_base_/datasets/pku_mmd2_xsub_ssl.py',
    '../_base_/schedules/sgd_moco_500e.py',
    '../_base_/ssl_runtime.py',
]
