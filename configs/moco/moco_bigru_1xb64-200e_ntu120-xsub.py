# MoCo v2 with the paper's BiGRU on NTU-120 cross-subject for 200 epochs at
# constant lr: the MoCo baseline, and stage 1 of HaLP
# (halp/halp_bigru_moco-200e-pre_1xb64-250e_ntu120-xsub.py).
_base_ = [
    '../_base_/models/moco_bigru.py',
    '../_base_/datasets/ntu120_xsub_ssl.py',
    '../_base_/schedules/sgd_moco_200e.py',
    '../_base_/ssl_runtime.py',
]
