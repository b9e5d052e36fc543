# NTU RGB+D 60 cross-view (cameras 2 and 3 train, camera 1 is the kNN query):
# ntu60_xsub_ssl.py with the xview splits.
_base_ = ['./ntu60_xsub_ssl.py']

train_split, val_split = 'xview_train', 'xview_val'
train_dataloader = dict(dataset=dict(split=train_split))
val_dataloader = dict(
    dataset=dict(bank=dict(split=train_split), query=dict(split=val_split)))
test_dataloader = val_dataloader
