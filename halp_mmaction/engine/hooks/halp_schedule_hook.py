"""Switch HaLP on at a given epoch: MoCo first, then HaLP, in one run."""
import logging

from mmaction.registry import HOOKS
from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper


@HOOKS.register_module()
class HaLPScheduleHook(Hook):
    """Train plain MoCo until ``start_epoch``, then MoCo with HaLP.

    The official recipe pretrains MoCo (200 epochs on NTU, 500 on PKU-MMD II)
    and trains HaLP on top of that checkpoint to epoch 450 (1000). This hook
    runs both stages in one run: before every training epoch it sets
    ``model.halp_head.enabled = runner.epoch >= start_epoch``. Epochs are
    0-based, so ``start_epoch=200`` trains the first 200 epochs (0-199) as
    MoCo, as the official stage 1.

    The switch depends on the epoch alone and the hook keeps no state, so a
    run resumed at any epoch switches exactly as an uninterrupted one. The
    head's own warm-up (``warmup_samples`` keys through the queue) still
    applies, but it has long passed by ``start_epoch``. Epoch-based loops
    only: an iteration-based loop stays at epoch 0.

    Args:
        start_epoch (int): First (0-based) epoch that trains with HaLP, >= 0.
            0 trains with HaLP from the start.
    """

    priority = 'NORMAL'

    def __init__(self, start_epoch: int) -> None:
        if isinstance(start_epoch, bool) or not isinstance(start_epoch, int) \
                or start_epoch < 0:
            raise ValueError('HaLPScheduleHook: start_epoch must be an int '
                             f'>= 0, got {start_epoch!r}')
        self.start_epoch = start_epoch

    @staticmethod
    def _halp_head(runner):
        model = runner.model
        model = model.module if is_model_wrapper(model) else model
        head = getattr(model, 'halp_head', None)
        if head is None or not hasattr(head, 'enabled'):
            raise TypeError(
                'HaLPScheduleHook needs a model with a HaLP head, such as '
                "SkeletonMoCo with `halp_head=dict(type='HaLPHead', ...)`; "
                f'{type(model).__name__} has none. Remove the hook to train '
                'plain MoCo.')
        return head

    def before_train(self, runner) -> None:
        self._halp_head(runner)  # fail before the first step, not later
        max_epochs = getattr(runner, 'max_epochs', None)
        if max_epochs is not None and self.start_epoch >= max_epochs:
            print_log(
                f'HaLPScheduleHook: start_epoch={self.start_epoch} >= '
                f'max_epochs={max_epochs}: HaLP never switches on and this '
                'run trains plain MoCo.',
                logger='current',
                level=logging.WARNING)

    def before_train_epoch(self, runner) -> None:
        head = self._halp_head(runner)
        if runner.epoch == self.start_epoch:
            print_log(
                f'HaLPScheduleHook: HaLP on from epoch {runner.epoch + 1} '
                f'as logged (start_epoch={self.start_epoch} counts from 0).',
                logger='current')
        head.enabled = runner.epoch >= self.start_epoch
