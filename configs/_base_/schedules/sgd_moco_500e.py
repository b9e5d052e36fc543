# Stage 1 on PKU-MMD II: MoCo for 500 epochs at constant lr (the step at 800
# is in stage 2), the official baseline checkpoint.
_base_ = ['./sgd_ssl.py']

train_cfg = dict(max_epochs=500)
param_scheduler = []
