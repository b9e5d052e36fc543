# MoCo v2 settings of the HaLP recipe, shared by every encoder: queue 16384,
# tau 0.07, a 128-d contrastive space, key encoder momentum m 0.999. The
# encoder files (moco_stgcn.py, moco_bigru.py) add backbone and neck.
model = dict(
    type='SkeletonMoCo',
    head=dict(type='ContrastiveHead', temperature=0.07),
    queue_len=16384,
    feat_dim=128)

# RandomStateHook puts the random generators' states in every checkpoint, so
# that --resume continues exactly (with num_workers=0 or non-persistent
# workers: persistent workers restart their own streams on resume).
custom_hooks = [
    dict(type='MomentumUpdateHook', momentum=0.999),
    dict(type='RandomStateHook'),
]
