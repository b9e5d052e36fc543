# HaLP on MSR Action3D cross-subject: the tiny ST-GCN with the small-data
# HaLP head (_base_/models/halp_stgcn-tiny.py), on for the second half of
# training; pretrains on the 291 training sequences (odd subjects, labels
# unused) in about 10 minutes on one CPU core. The MoCo config beside it is
# the control (the same run without the head).
# tools/benchmarks/real_data.py --dataset msr_action3d (and
# tools/benchmarks/msr_action3d.py) run both and probe them.
_base_ = [
    '../_base_/models/halp_stgcn-tiny.py',
    '../_base_/datasets/msr_action3d_xsub_ssl.py',
    '../_base_/schedules/sgd_cosine_ssl.py',
    '../_base_/default_runtime.py',
]

# 256 keys: the queue stays below the 291 training sequences.
model = dict(queue_len=256)
max_epochs = 200
train_cfg = dict(max_epochs=max_epochs)
param_scheduler = [
    dict(type='CosineAnnealingLR', by_epoch=True, T_max=max_epochs,
         eta_min=0)
]
default_hooks = dict(
    logger=dict(interval=18),
    checkpoint=dict(interval=max_epochs, save_best=None))
randomness = dict(seed=0)
