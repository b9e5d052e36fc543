# MoCo v2 + HaLP for small real sets (N-UCLA, MSR Action3D, the demo): the
# tiny ST-GCN of moco_stgcn-tiny.py with the small-data HaLP head: 10
# prototypes from the 128 newest keys every 5 iterations, 50 positives per
# anchor, lambda 0.8, and the positives inside the contrastive softmax
# (loss_form='nce', mu 1) rather than the official pull (mu / tau) q.z,
# which on a few-hundred-key queue outweighs the contrast: see
# docs/halp_small_data.md for the ablation behind each choice. HaLP starts
# after the first half of training, as the official recipe starts it on a
# MoCo-trained encoder. The MoCo controls set `halp_head=None` and drop the
# HaLPScheduleHook.
_base_ = ['./moco_stgcn-tiny.py']

model = dict(
    halp_head=dict(
        type='HaLPHead', num_prototypes=10, num_keys=128, interval=5,
        num_positives=50, hardness=0.8, loss_weight=1.0, temperature=0.07,
        loss_form='nce'))
custom_hooks = _base_.custom_hooks + [
    dict(type='HaLPScheduleHook', start_fraction=0.5)
]
