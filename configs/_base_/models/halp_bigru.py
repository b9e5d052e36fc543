# MoCo v2 + HaLP with the paper's BiGRU.
_base_ = ['./moco_bigru.py', './halp.py']

model = dict(halp_head=_base_.halp_head)
