# The small-data schedule: SGD lr 0.05 (5x the official: batch 16 and few
# steps), momentum 0.9, wd 1e-4, cosine decay to 0 over the run (the leaf
# configs set max_epochs and T_max together); the kNN of the test split
# logged every 20 epochs, to watch (nothing is selected on it).
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=100, val_interval=20)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.05, momentum=0.9, weight_decay=1e-4))
param_scheduler = [
    dict(type='CosineAnnealingLR', by_epoch=True, T_max=100, eta_min=0)
]
