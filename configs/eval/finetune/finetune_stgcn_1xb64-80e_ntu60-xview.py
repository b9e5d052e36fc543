_base_ = [
    '../../_base_/eval/models/finetune_stgcn.py',
    '../../_base_/eval/datasets/ntu60_xview_cls.py',
    '../../_base_/eval/schedules/sgd_finetune_80e.py',
    '../../_base_/default_runtime.py'
]
