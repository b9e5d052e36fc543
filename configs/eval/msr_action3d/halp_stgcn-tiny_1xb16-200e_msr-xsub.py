# HaLP on MSR Action3D: the MoCo config plus the HaLP head, same model,
# views, schedule and seed. As the official recipe (MoCo first, HaLP on top),
# HaLP switches on after the first half (100 epochs x 18 steps x 16 keys have
# entered the queue); switched on from scratch, its pull can outweigh the
# contrast of a 256-key queue and collapse the embedding. With 256 keys and
# 20 classes: 10 prototypes from the 128 newest keys every 5 steps, 50
# positives per anchor, lambda 0.8. mu 0.5: with this small queue the pull
# of mu 2 (NTU) or 1 (PKU-MMD) dominated the contrast (loss_moco rose from
# 2.2 to 3.7-4.4) and cost 1-NN accuracy (see docs/evaluation.md).
_base_ = ['./moco_stgcn-tiny_1xb16-200e_msr-xsub.py']

halp_warmup_epochs = 100
model = dict(
    halp_head=dict(
        type='HaLPHead',
        num_prototypes=10,
        num_keys=128,
        interval=5,
        num_positives=50,
        hardness=0.8,
        loss_weight=0.5,
        temperature=0.07,
        warmup_samples=halp_warmup_epochs * (291 // 16) * 16))
