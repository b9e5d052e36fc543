# CMD on N-UCLA cross-view, the control of the CMD + HaLP config beside it: the
# same streams, views, schedule and seed without the HaLP heads.
_base_ = ['./cmd-halp_stgcn-tiny_1xb16-100e_nw-ucla-xview.py']

model = dict(halp_head=None)
custom_hooks = [
    h for h in _base_.custom_hooks if h['type'] != 'HaLPScheduleHook'
]
