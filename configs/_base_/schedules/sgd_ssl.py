# The official optimiser: SGD lr 0.01, momentum 0.9, wd 1e-4, for one GPU at
# batch 64; kNN every 10 epochs. The other sgd_*e.py files set the length
# and the lr step of the whole recipe (sgd_ntu_450e.py, sgd_pku-mmd2_1000e.py:
# HaLP from its start epoch or the MoCo control throughout) or of one stage
# (sgd_moco_*e.py: stage 1; sgd_halp_*e.py: stage 2 by load_from):
#   NTU:        MoCo epochs 0-200, then HaLP to 450, lr x0.1 at 350
#   PKU-MMD II: MoCo epochs 0-500, then HaLP to 1000, lr x0.1 at 800
train_cfg = dict(type='EpochBasedTrainLoop', val_interval=10)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=1e-4))
auto_scale_lr = dict(enable=False, base_batch_size=64)
