# Linear evaluation on N-UCLA cross-view of the encoder pretrained by
# {moco,halp}_stgcn-tiny_1xb16-100e_nw-ucla-xview.py: the official protocol
# (frozen encoder, SGD with momentum 0.9 and no weight decay, 80 epochs, lr
# x0.1 at 50 and 70, random U(0.5, 1) crops for training) on small data:
# batch 32 (31 steps an epoch), lr 0.05, the whole sequence at test time.
# tools/benchmarks/real_data.py uses the faster logistic regression on
# frozen features (tools/eval/linear_probe.py); this is the SGD-trained
# equivalent:
#   python tools/eval/train_classifier.py THIS_CONFIG CKPT
# kNN: tools/eval/knn.py or tools/test.py with the pretraining config.
_base_ = [
    '../../_base_/eval/models/linear_stgcn.py',
    '../../_base_/eval/datasets/nw_ucla_xview_cls.py',
    '../../_base_/eval/schedules/sgd_linear_80e.py',
    '../../_base_/default_runtime.py'
]

model = dict(
    backbone=dict(
        base_channels=64, num_stages=3, inflate_stages=[3], down_stages=[2]),
    cls_head=dict(num_classes=10, in_channels=128))
optim_wrapper = dict(optimizer=dict(lr=0.05))
default_hooks = dict(logger=dict(interval=31), checkpoint=dict(interval=80))
randomness = dict(seed=0)
