"""When HaLP trains: MoCo first, then HaLP (optionally ramped in), in one run.
"""
import logging
from typing import Optional

from mmaction.registry import HOOKS
from mmengine.hooks import Hook
from mmengine.logging import print_log
from torch import nn

from ...models.heads import HaLPHead
from ...models.utils import get_ori_model


@HOOKS.register_module()
class HaLPScheduleHook(Hook):
    """Train plain MoCo until a given epoch, then MoCo with HaLP.

    The official recipe pretrains MoCo (200 epochs on NTU, 500 on PKU-MMD II)
    and trains HaLP on top of that checkpoint to epoch 450 (1000). This hook
    runs both stages in one run: before every training iteration it sets
    every HaLP head's ``enabled`` (one per stream in a multi-stream
    model) to whether the (0-based) epoch has reached
    the start, so ``start_epoch=200`` trains epochs 0-199 as MoCo, as the
    official stage 1. The start is stated in epochs, or as a fraction of
    ``max_epochs`` (``start_fraction=0.5``: the second half), so it stays
    right when the data, the batch size or the number of epochs change.

    With ``ramp_epochs > 0`` the HaLP loss weight grows linearly from 0 to
    ``loss_weight`` over that many epochs after the start (the head's
    ``weight_scale``), iteration by iteration.

    The switch and the ramp depend on the epoch and iteration alone and the
    hook keeps no state, so a run resumed anywhere continues exactly as an
    uninterrupted one. The head's own warm-up (``warmup_samples`` keys through
    the queue, by default one queue) still applies. Epoch-based loops only.

    Args:
        start_epoch (int, optional): First (0-based) epoch that trains with
            HaLP, >= 0; 0 trains with HaLP from the start.
        start_fraction (float, optional): Instead of ``start_epoch``: the
            share of ``max_epochs`` trained as plain MoCo, in [0, 1]
            (rounded down to an epoch).
        ramp_epochs (float): Epochs over which the loss weight ramps up, >= 0.
            Defaults to 0 (the full weight at once, as the official code).
    """

    priority = 'NORMAL'

    def __init__(self,
                 start_epoch: Optional[int] = None,
                 start_fraction: Optional[float] = None,
                 ramp_epochs: float = 0) -> None:
        name = self.__class__.__name__
        if (start_epoch is None) == (start_fraction is None):
            raise ValueError(f'{name}: give exactly one of start_epoch and '
                             f'start_fraction, got start_epoch='
                             f'{start_epoch!r}, start_fraction='
                             f'{start_fraction!r}')
        if start_epoch is not None and (
                isinstance(start_epoch, bool)
                or not isinstance(start_epoch, int) or start_epoch < 0):
            raise ValueError(f'{name}: start_epoch must be an int >= 0, got '
                             f'{start_epoch!r}')
        if start_fraction is not None and not (
                isinstance(start_fraction, (int, float))
                and 0 <= start_fraction <= 1):
            raise ValueError(f'{name}: start_fraction must be in [0, 1], got '
                             f'{start_fraction!r}')
        if not isinstance(ramp_epochs, (int, float)) or ramp_epochs < 0:
            raise ValueError(f'{name}: ramp_epochs must be >= 0, got '
                             f'{ramp_epochs!r}')
        self.start_epoch = start_epoch
        self.start_fraction = start_fraction
        self.ramp_epochs = ramp_epochs

    @staticmethod
    def _halp_heads(runner) -> list:
        """Every HaLP head of the model: one for ``SkeletonMoCo``, one per
        stream for ``SkeletonCMD``."""
        model = get_ori_model(runner.model)
        heads = [m for m in model.modules() if isinstance(m, HaLPHead)
                 ] if isinstance(model, nn.Module) else []
        if not heads:
            raise TypeError(
                'HaLPScheduleHook needs a model with a HaLP head, such as '
                "SkeletonMoCo with `halp_head=dict(type='HaLPHead', ...)`; "
                f'{type(model).__name__} has none. Remove the hook to train '
                'plain MoCo.')
        return heads

    def first_halp_epoch(self, max_epochs: int) -> int:
        """The (0-based) epoch HaLP starts at in a run of ``max_epochs``."""
        if self.start_epoch is not None:
            return self.start_epoch
        return int(self.start_fraction * max_epochs)

    def before_train(self, runner) -> None:
        self._halp_heads(runner)  # fail before the first step, not later
        start = self.first_halp_epoch(runner.max_epochs)
        if start >= runner.max_epochs:
            print_log(
                f'HaLPScheduleHook: HaLP starts at epoch {start} >= '
                f'max_epochs={runner.max_epochs}: HaLP never switches on and '
                'this run trains plain MoCo.',
                logger='current',
                level=logging.WARNING)
        else:
            ramp = f', its weight ramped up over {self.ramp_epochs} epochs' \
                if self.ramp_epochs else ''
            print_log(
                f'HaLPScheduleHook: plain MoCo for epochs 1-{start} as '
                f'logged, HaLP from epoch {start + 1}{ramp}.',
                logger='current')

    def before_train_iter(self, runner, batch_idx: int,
                          data_batch=None) -> None:
        start = self.first_halp_epoch(runner.max_epochs)
        enabled = runner.epoch >= start
        scale = 1.0
        if self.ramp_epochs and enabled:
            per_epoch = len(runner.train_dataloader)
            done = (runner.epoch - start) * per_epoch + batch_idx + 1
            scale = min(1.0, done / (self.ramp_epochs * per_epoch))
        for head in self._halp_heads(runner):
            head.enabled = enabled
            head.weight_scale = scale
