# Semi-supervised: the pretrained ST-GCN fine-tuned (whole network) on a
# seeded, class-balanced 10 % of the labelled NTU-60 cross-view training
# set, tested on the full val split. tools/eval/semi_supervised.py repeats it
# over seeds and reports mean +- std; `balanced=False` draws uniformly, as
# the official feeder does.
_base_ = ['../finetune/finetune_stgcn_1xb64-80e_ntu60-xview.py']

labelled_ratio = 0.1
train_dataloader = dict(
    # Small subsets may hold fewer samples than a batch.
    drop_last=False,
    dataset=dict(
        _delete_=True,
        type='LabelledSubsetDataset',
        ratio=labelled_ratio,
        seed=0,
        balanced=True,
        dataset={{_base_.train_dataloader.dataset}}))
