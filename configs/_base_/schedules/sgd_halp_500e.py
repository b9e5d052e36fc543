# Stage 2 on PKU-MMD II: HaLP from the stage-1 checkpoint, epochs 500-1000 of
# the recipe. `load_from` without `resume` restarts the epoch count at 0 (see
# sgd_halp_250e.py): 500 epochs (1000 - 500), lr step at 300 (800 - 500).
_base_ = ['./sgd_ssl.py']

train_cfg = dict(max_epochs=500)
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=True, milestones=[300], gamma=0.1)
]
