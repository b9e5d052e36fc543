# The MoCo control of halp_stgcn_demo.py: the same model, data, views,
# schedule and seed without the HaLP head (and so without its schedule).
# With one seed the two runs are the same run until HaLP switches on at
# epoch 21.
_base_ = ['./halp_stgcn_demo.py']

model = dict(halp_head=None)
custom_hooks = [
    h for h in _base_.custom_hooks if h['type'] != 'HaLPScheduleHook'
]
