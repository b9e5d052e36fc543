# NTU RGB+D 60 cross-subject (60 classes), labelled.
_base_ = ['./skeleton_cls.py']
ann_file = 'data/skeleton/ntu60_3d.pkl'
train_dataloader = dict(dataset=dict(ann_file=ann_file, split='xsub_train'))
val_dataloader = dict(dataset=dict(ann_file=ann_file, split='xsub_val'))
test_dataloader = val_dataloader
