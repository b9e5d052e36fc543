# The whole NTU recipe in one run: 450 epochs, lr x0.1 at 350 (HaLP from
# epoch 200 by HaLPScheduleHook, or MoCo throughout).
_base_ = ['./sgd_ssl.py']

train_cfg = dict(max_epochs=450)
param_scheduler = [
    dict(
        type='MultiStepLR',
        by_epoch=True,
        begin=0,
        end=450,
        milestones=[350],
        gamma=0.1)
]
