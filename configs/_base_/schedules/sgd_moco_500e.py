# Stage 1 on PKU-MMD II: MoCo for 500 epochs at constant lr. The scheduler is
# the whole recipe's (lr x0.1 at 800, never reached here), as in the
# official script, so that a stage 2 which resumes this run (the
# *_moco-500e-resume_* configs) continues the same schedule and steps at 800.
_base_ = ['./sgd_ssl.py']

train_cfg = dict(max_epochs=500)
param_scheduler = [
    dict(
        type='MultiStepLR',
        by_epoch=True,
        begin=0,
        end=1000,
        milestones=[800],
        gamma=0.1)
]
# `end` is explicit: mmengine would default it to this run's max_epochs and
# save that in the checkpoint, which would end the schedule of a resumed run
# there.
