# Semi-supervised with 5 % of the labelled training set (see the 10 % config).
_base_ = ['./semi_bigru_1xb64-80e_ntu120-xsub-10p.py']

labelled_ratio = 0.05
train_dataloader = dict(dataset=dict(ratio=labelled_ratio))
