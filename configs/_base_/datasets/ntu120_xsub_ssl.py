# NTU RGB+D 120 cross-subject: ntu60_xsub_ssl.py on ntu120_3d.pkl.
_base_ = ['./ntu60_xsub_ssl.py']

ann_file = 'data/skeleton/ntu120_3d.pkl'
train_dataloader = dict(dataset=dict(ann_file=ann_file))
val_dataloader = dict(
    dataset=dict(
        bank=dict(ann_file=ann_file), query=dict(ann_file=ann_file)))
test_dataloader = val_dataloader
