# MoCo v2 on N-UCLA cross-view, the control of the HaLP config: the same
# model, views, schedule and seed without the HaLP head (and so without its
# schedule). With one seed the two runs are the same run until HaLP switches
# on at epoch 51.
_base_ = ['../halp/halp_stgcn-tiny_1xb16-100e_nw-ucla-xview.py']

model = dict(halp_head=None)
custom_hooks = [
    h for h in _base_.custom_hooks if h['type'] != 'HaLPScheduleHook'
]
