# Stage 2 on NTU: HaLP from the stage-1 checkpoint, epochs 200-450 of the
# recipe. The official code resumes the MoCo run, keeping its epoch count;
# here the experiment sets `load_from` without `resume`, which loads the
# weights and the queue and restarts at epoch 0 with a fresh optimiser. So
# this stage counts 250 epochs (450 - 200) with the lr step at 150
# (350 - 200).
_base_ = ['./sgd_ssl.py']

train_cfg = dict(max_epochs=250)
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=True, milestones=[150], gamma=0.1)
]
