# Stage 1 on NTU: MoCo for the first 200 epochs of the whole recipe
# (sgd_ntu_450e.py), at constant lr. The scheduler stays the recipe's (lr
# x0.1 at 350, never reached here, `end` explicit), as in the official
# script, so that a stage 2 which resumes this run (the
# *_moco-200e-resume_* configs) continues the same schedule and steps at
# 350; mmengine would otherwise default `end` to this run's max_epochs and
# save that in the checkpoint.
_base_ = ['./sgd_ntu_450e.py']

train_cfg = dict(max_epochs=200)
