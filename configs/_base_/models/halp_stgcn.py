# MoCo v2 + HaLP with ST-GCN.
_base_ = ['./moco_stgcn.py', './halp.py']

model = dict(halp_head=_base_.halp_head)
