# The whole PKU-MMD II recipe in one run: 1000 epochs, lr x0.1 at 800 (HaLP
# from epoch 500 by HaLPScheduleHook, or MoCo throughout).
_base_ = ['./sgd_ssl.py']

train_cfg = dict(max_epochs=1000)
param_scheduler = [
    dict(
        type='MultiStepLR',
        by_epoch=True,
        begin=0,
        end=1000,
        milestones=[800],
        gamma=0.1)
]
