_base_ = [
    '../../_base_/eval/models/finetune_stgcn.py',
    '../../_base_/eval/datasets/pku_mmd2_xsub_cls.py',
    '../../_base_/eval/schedules/sgd_finetune_80e.py',
    '../../_base_/default_runtime.py'
]

model = dict(cls_head=dict(num_classes=51))
