# NTU RGB+D 120 cross-setup (even setups train): ntu60_xsub_ssl.py on
# ntu120_3d.pkl with the xset splits.
_base_ = ['./ntu60_xsub_ssl.py']

ann_file = 'data/skeleton/ntu120_3d.pkl'
train_split, val_split = 'xset_train', 'xset_val'
train_dataloader = dict(dataset=dict(ann_file=ann_file, split=train_split))
val_dataloader = dict(
    dataset=dict(
        bank=dict(ann_file=ann_file, split=train_split),
        query=dict(ann_file=ann_file, split=val_split)))
test_dataloader = val_dataloader
