# PKU-MMD phase II cross-subject (heads keep the 51 raw PKU-MMD label ids), labelled; the transfer target.
_base_ = ['./skeleton_cls.py']
ann_file = 'data/skeleton/pku_mmd2_3d.pkl'
train_dataloader = dict(dataset=dict(ann_file=ann_file, split='xsub_train'))
val_dataloader = dict(dataset=dict(ann_file=ann_file, split='xsub_val'))
test_dataloader = val_dataloader
