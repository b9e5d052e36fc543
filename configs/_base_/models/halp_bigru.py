# MoCo v2 + HaLP with the paper's BiGRU, the HaLP head of the official recipe
# as in halp_stgcn.py.
_base_ = ['./moco_bigru.py']

model = dict(
    halp_head=dict(
        type='HaLPHead', num_prototypes=20, num_keys=256, interval=10,
        num_positives=100, hardness=0.8, loss_weight=2.0, temperature=0.07))
