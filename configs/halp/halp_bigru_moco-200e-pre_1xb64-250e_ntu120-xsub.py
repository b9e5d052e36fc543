# HaLP with the paper's BiGRU on NTU-120 cross-subject, stage 2 of the recipe:
# HaLP on top of the checkpoint of moco/moco_bigru_1xb64-200e_ntu120-xsub.py
# (train that first). load_from restarts the epoch count at 0, so epochs
# 200-450 of the recipe are epochs 0-250 here, lr x0.1 at 150 (see
# _base_/schedules/sgd_halp_250e.py).
_base_ = [
    '../_base_/models/halp_bigru.py',
    '../_base_/datasets/ntu120_xsub_ssl.py',
    '../_base_/schedules/sgd_halp_250e.py',
    '../_base_/ssl_runtime.py',
]

load_from = 'work_dirs/moco_bigru_1xb64-200e_ntu120-xsub/epoch_200.pth'
