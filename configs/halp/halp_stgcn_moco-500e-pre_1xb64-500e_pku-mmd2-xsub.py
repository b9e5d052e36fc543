# HaLP with ST-GCN on PKU-MMD II cross-subject, stage 2 of the recipe: HaLP on
# top of the checkpoint of moco/moco_stgcn_1xb64-500e_pku-mmd2-xsub.py (train
# that first). load_from restarts the epoch count at 0, so epochs 500-1000 of
# the recipe are epochs 0-500 here, lr x0.1 at 300 (see
# _base_/schedules/sgd_halp_500e.py).
_base_ = [
    '../_base_/models/halp_stgcn.py',
    '../_base_/datasets/pku_mmd2_xsub_ssl.py',
    '../_base_/schedules/sgd_halp_500e.py',
    '../_base_/ssl_runtime.py',
]

# mu 1 on PKU-MMD II (2 on NTU).
model = dict(halp_head=dict(loss_weight=1.0))

load_from = 'work_dirs/moco_stgcn_1xb64-500e_pku-mmd2-xsub/epoch_500.pth'
