_base_ = [
    '../../_base_/eval/models/linear_bigru.py',
    '../../_base_/eval/datasets/ntu120_xset_cls.py',
    '../../_base_/eval/schedules/sgd_linear_80e.py',
    '../../_base_/default_runtime.py'
]

model = dict(cls_head=dict(num_classes=120))
