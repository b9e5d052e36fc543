# PKU-MMD phase II cross-subject: ntu60_xsub_ssl.py on pku_mmd2_3d.pkl (one
# sample per labelled interval, NTU's 25-joint layout; 51 label ids, which
# only the kNN evaluation reads).
_base_ = ['./ntu60_xsub_ssl.py']

ann_file = 'data/skeleton/pku_mmd2_3d.pkl'
train_dataloader = dict(dataset=dict(ann_file=ann_file))
val_dataloader = dict(
    dataset=dict(
        bank=dict(ann_file=ann_file), query=dict(ann_file=ann_file)))
test_dataloader = val_dataloader
