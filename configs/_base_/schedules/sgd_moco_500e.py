# Stage 1 on PKU-MMD II: MoCo for the first 500 epochs of the whole recipe
# (sgd_pku-mmd2_1000e.py), at constant lr. The scheduler stays the recipe's
# (lr x0.1 at 800, never reached here), so that a stage 2 which resumes this
# run (the *_moco-500e-resume_* configs) continues the same schedule and
# steps at 800 (see sgd_moco_200e.py).
_base_ = ['./sgd_pku-mmd2_1000e.py']

train_cfg = dict(max_epochs=500)
