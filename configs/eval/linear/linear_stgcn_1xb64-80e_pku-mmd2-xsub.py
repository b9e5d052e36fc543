_base_ = [
    '../../_base_/eval/models/linear_stgcn.py',
    '../../_base_/eval/datasets/pku_mmd2_xsub_cls.py',
    '../../_base_/eval/schedules/sgd_linear_80e.py',
    '../../_base_/default_runtime.py'
]

model = dict(cls_head=dict(num_classes=51))
# The official PKU-MMD II linear lr.
optim_wrapper = dict(optimizer=dict(lr=0.001))
