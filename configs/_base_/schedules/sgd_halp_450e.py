# The official schedule: SGD lr 0.01, momentum 0.9, wd 1e-4, lr x0.1 at epoch
# 350 of 450; kNN every 10 epochs.
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=450, val_interval=10)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=1e-4))
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=True, milestones=[350], gamma=0.1)
]
# lr 0.01 is for one GPU at batch 64.
auto_scale_lr = dict(enable=False, base_batch_size=64)
