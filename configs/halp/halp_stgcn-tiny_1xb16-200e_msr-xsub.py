# HaLP on MSR Action3D cross-subject: the MoCo config beside it plus the
# small-data HaLP head (_base_/models/halp_small_data.py), on for the second
# half of training.
_base_ = [
    '../moco/moco_stgcn-tiny_1xb16-200e_msr-xsub.py',
    '../_base_/models/halp_small_data.py',
]

model = dict(halp_head=_base_.halp_small_data)
custom_hooks = _base_.custom_hooks + [
    dict(type='HaLPScheduleHook', start_fraction=0.5)
]
