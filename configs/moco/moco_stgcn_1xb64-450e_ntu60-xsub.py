_base_ = [
    '../_base_/models/moco_stgcn.py', '../_base_/datasets/ntu60_xsub_ssl.py',
    '../_base_/schedules/sgd_halp_450e.py', 'mmaction::_base_/default_runtime.py'
]
custom_imports = dict(imports=['halp_mmaction'], allow_failed_imports=False)

default_hooks = dict(checkpoint=dict(interval=10, max_keep_ckpts=3))
