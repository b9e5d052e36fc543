_base_ = [
    '../../_base_/eval/models/finetune_bigru.py',
    '../../_base_/eval/datasets/ntu120_xset_cls.py',
    '../../_base_/eval/schedules/sgd_finetune_80e.py',
    '../../_base_/default_runtime.py'
]

model = dict(cls_head=dict(num_classes=120))
