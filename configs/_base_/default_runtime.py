# MMAction2's runtime with this plugin imported and TrainGuardHook on, the
# runtime of every config here: a run stops with a clear error on an epoch
# of zero iterations or at the first non-finite loss (checked every 50
# iterations and before any checkpoint or validation), never saving NaN
# weights. ContrastiveCollapseHook warns when a pretraining run's InfoNCE
# loss climbs back to ln(queue + 1), a collapsed embedding.
_base_ = ['mmaction::_base_/default_runtime.py']

custom_imports = dict(imports=['halp_mmaction'], allow_failed_imports=False)
default_hooks = dict(
    train_guard=dict(type='TrainGuardHook', interval=50),
    collapse_warning=dict(type='ContrastiveCollapseHook', tolerance=0.05))
