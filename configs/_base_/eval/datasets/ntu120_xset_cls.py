# NTU RGB+D 120 cross-setup (120 classes), labelled.
_base_ = ['./skeleton_cls.py']
ann_file = 'data/skeleton/ntu120_3d.pkl'
train_dataloader = dict(dataset=dict(ann_file=ann_file, split='xset_train'))
val_dataloader = dict(dataset=dict(ann_file=ann_file, split='xset_val'))
test_dataloader = val_dataloader
