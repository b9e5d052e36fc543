# The official linear-evaluation schedule (HaLP's action_classification.py):
# SGD lr 0.005 (PKU-MMD II: 0.001), momentum 0.9, no weight decay, 80 epochs,
# lr x0.1 at epochs 50 and 70, batch 64 on one GPU.
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=80, val_interval=5)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.005, momentum=0.9, weight_decay=0.))
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=True, milestones=[50, 70], gamma=0.1)
]
auto_scale_lr = dict(enable=False, base_batch_size=64)
# Both figures, validating every 5 epochs as the official script: the best
# top-1 seen (what the official script, and so the paper, reports) and the
# last epoch's, with the epoch of the best (WORK_DIR/best_and_last.json).
custom_hooks = [dict(type='BestMetricHook', metric='acc/top1')]
