# Stage 1 on NTU: MoCo for 200 epochs at constant lr (the step at 350 is in
# stage 2), the official baseline checkpoint.
_base_ = ['./sgd_ssl.py']

train_cfg = dict(max_epochs=200)
param_scheduler = []
