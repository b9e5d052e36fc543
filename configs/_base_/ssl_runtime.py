# The project runtime (default_runtime.py) with a checkpoint every 10
# epochs, the last 3 kept (stage 1 leaves epoch_200.pth / epoch_500.pth for
# stage 2).
_base_ = ['./default_runtime.py']

default_hooks = dict(checkpoint=dict(interval=10, max_keep_ckpts=3))
