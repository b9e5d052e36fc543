# MoCo v2 + HaLP with ST-GCN. The HaLP head of the official recipe: 20
# prototypes from the 256 newest keys every 10 iterations, 100 positives per
# anchor, lambda 0.8, mu 2 (NTU; the PKU-MMD II configs set mu 1).
_base_ = ['./moco_stgcn.py']

model = dict(
    halp_head=dict(
        type='HaLPHead', num_prototypes=20, num_keys=256, interval=10,
        num_positives=100, hardness=0.8, loss_weight=2.0, temperature=0.07))
