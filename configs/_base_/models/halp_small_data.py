# The HaLP head for small real sets (N-UCLA, MSR Action3D, the demo): 10
# prototypes from the 128 newest keys every 5 iterations, 50 positives per
# anchor, lambda 0.8, and the positives inside the contrastive softmax
# (loss_form='nce', mu 1) rather than the official pull (mu / tau) q.z,
# which on a few-hundred-key queue outweighs the contrast: see
# docs/halp_small_data.md for the ablation behind each choice. HaLP starts
# after the first half of training (HaLPScheduleHook, in the leaf configs),
# as the official recipe starts it on a MoCo-trained encoder.
halp_small_data = dict(
    type='HaLPHead',
    num_prototypes=10,
    num_keys=128,
    interval=5,
    num_positives=50,
    hardness=0.8,
    loss_weight=1.0,
    temperature=0.07,
    loss_form='nce')
