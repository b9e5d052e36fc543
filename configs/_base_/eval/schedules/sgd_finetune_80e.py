# Fine-tuning (and semi-supervised) schedule. HaLP released no fine-tuning
# script; this is the linear schedule with a larger lr and weight decay for
# the whole network: SGD lr 0.01, momentum 0.9, wd 1e-4, 80 epochs, lr x0.1
# at epochs 50 and 70, batch 64 on one GPU.
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=80, val_interval=5)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=1e-4))
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=True, milestones=[50, 70], gamma=0.1)
]
auto_scale_lr = dict(enable=False, base_batch_size=64)
# Both figures, validating every 5 epochs as the official script: the best
# top-1 seen (what the official script, and so the paper, reports) and the
# last epoch's, with the epoch of the best (WORK_DIR/best_and_last.json).
custom_hooks = [dict(type='BestMetricHook', metric='acc/top1')]
