"""Momentum (EMA) update of the MoCo key encoder."""
import math
from typing import Optional, Sequence

from mmaction.registry import HOOKS
from mmengine.hooks import Hook

from ...models.utils import get_ori_model

DATA_BATCH = Optional[Sequence[dict]]


@HOOKS.register_module()
class MomentumUpdateHook(Hook):
    """Update the key encoder after every training step.

    ``key = m * key + (1 - m) * query`` with ``m`` in MoCo's convention
    (0.999 = slow). Note mmengine's ``ExponentialMovingAverage`` takes
    ``1 - m`` instead. With ``schedule='cosine'`` the momentum rises from
    ``momentum`` to ``end_momentum`` over training as in BYOL:
    ``m_t = end - (end - m) * (cos(pi * t / T) + 1) / 2``.

    Before training it checks that the model is a momentum model and that
    the queue length is a multiple of the global batch size, so every queue
    slot is refreshed at the same rate.

    Args:
        momentum (float): m in [0, 1]. Defaults to 0.999.
        schedule (str): ``'constant'`` or ``'cosine'``. Defaults to
            ``'constant'``.
        end_momentum (float): Final m of the cosine schedule. Defaults to 1.0.
    """

    priority = 'ABOVE_NORMAL'

    def __init__(self,
                 momentum: float = 0.999,
                 schedule: str = 'constant',
                 end_momentum: float = 1.0) -> None:
        if not 0.0 <= momentum <= 1.0 or not 0.0 <= end_momentum <= 1.0:
            raise ValueError('MomentumUpdateHook: momentum and end_momentum '
                             f'must be in [0, 1], got {momentum}, '
                             f'{end_momentum}')
        if schedule not in ('constant', 'cosine'):
            raise ValueError('MomentumUpdateHook: schedule must be "constant" '
                             f'or "cosine", got "{schedule}"')
        self.momentum = momentum
        self.schedule = schedule
        self.end_momentum = end_momentum

    @staticmethod
    def _model(runner):
        return get_ori_model(runner.model)

    def before_train(self, runner) -> None:
        model = self._model(runner)
        if not hasattr(model, 'momentum_update'):
            raise TypeError('MomentumUpdateHook needs a model with '
                            '`momentum_update(m)` such as SkeletonMoCo, got '
                            f'{type(model).__name__}')
        queue_len = getattr(model, 'queue_len', None)
        batch = runner.train_dataloader.batch_size
        if queue_len is not None and batch:
            global_batch = batch * runner.world_size
            if queue_len % global_batch:
                raise ValueError(
                    f'model.queue_len ({queue_len}) must be a multiple of the '
                    f'global batch size ({global_batch} = train_dataloader.'
                    f'batch_size {batch} x world size {runner.world_size})')

    def current_momentum(self, runner) -> float:
        if self.schedule == 'constant':
            return self.momentum
        progress = runner.iter / max(runner.max_iters, 1)
        return self.end_momentum - (self.end_momentum - self.momentum) * (
            math.cos(math.pi * progress) + 1) / 2

    def after_train_iter(self,
                         runner,
                         batch_idx: int,
                         data_batch: DATA_BATCH = None,
                         outputs: Optional[dict] = None) -> None:
        momentum = self.current_momentum(runner)
        self._model(runner).momentum_update(momentum)
        runner.message_hub.update_scalar('train/key_momentum', momentum)
