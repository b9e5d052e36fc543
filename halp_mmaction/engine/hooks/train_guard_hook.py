"""Stop a training run that would go wrong in silence."""
from typing import Dict, Optional

import torch
from mmaction.registry import HOOKS
from mmengine.hooks import Hook
from torch import Tensor


@HOOKS.register_module()
class TrainGuardHook(Hook):
    """Stop training at the first sign of a run that cannot be right.

    * Before training: an epoch with no iteration, a training split smaller
      than one batch with ``drop_last=True``, which would otherwise "train"
      zero steps, save checkpoints and exit successfully.
    * While training: a non-finite loss. Every step folds
      ``isfinite(loss)`` of each loss term into a flag on the loss's device
      (no host sync); the flag is read every ``interval`` iterations, at the
      end of training and at the end of every epoch, before the checkpoint
      hook saves and before validation, so no checkpoint of NaN weights is
      written (nor kept as "best"). mmengine's ``CheckInvalidLossHook`` only
      looks at the loss of every ``interval``-th step and says less.

    Args:
        interval (int): Read the flag every this many iterations.
            Defaults to 50.
    """

    # Before CheckpointHook (VERY_LOW) at the end of an epoch.
    priority = 'VERY_HIGH'

    def __init__(self, interval: int = 50) -> None:
        if not isinstance(interval, int) or interval < 1:
            raise ValueError(f'TrainGuardHook: interval must be an int >= 1, '
                             f'got {interval!r}')
        self.interval = interval
        self._bad: Dict[str, Tensor] = {}
        self._first_bad: Optional[Tensor] = None

    def before_train(self, runner) -> None:
        loader = runner.train_dataloader
        if len(loader) == 0:
            batch_size = getattr(loader, 'batch_size', None)
            drop_last = getattr(loader, 'drop_last', None)
            raise ValueError(
                'TrainGuardHook: an epoch would run no iteration: the '
                f'training split has {len(loader.dataset)} samples, fewer '
                f'than one batch of {batch_size} (drop_last={drop_last}). '
                'Lower train_dataloader.batch_size, or check the split.')
        self._bad, self._first_bad = {}, None

    def after_train_iter(self,
                         runner,
                         batch_idx: int,
                         data_batch=None,
                         outputs: Optional[dict] = None) -> None:
        for name, value in (outputs or {}).items():
            if 'loss' not in name or not isinstance(value, Tensor):
                continue
            bad = ~torch.isfinite(value.detach()).all()
            if name in self._bad:
                self._bad[name] = self._bad[name] | bad
            else:
                self._bad[name] = bad
            if self._first_bad is None:
                self._first_bad = torch.full((), -1, dtype=torch.long,
                                             device=value.device)
            # The first iteration a term went bad, kept on the device.
            self._first_bad = torch.where(
                bad & (self._first_bad < 0),
                torch.full_like(self._first_bad, runner.iter),
                self._first_bad)
        if self.every_n_train_iters(runner, self.interval) or \
                self.is_last_train_iter(runner):
            self._check(runner)

    def after_train_epoch(self, runner) -> None:
        self._check(runner)

    def _check(self, runner) -> None:
        if self._first_bad is None:
            return
        first = int(self._first_bad)  # the one host sync, every interval
        if first < 0:
            return
        names = [name for name, bad in self._bad.items() if bool(bad)]
        per_epoch = len(runner.train_dataloader)
        raise FloatingPointError(
            f'TrainGuardHook: non-finite {" and ".join(names)} from '
            f'iteration {first + 1} (epoch {first // per_epoch + 1}) on; '
            f'training stopped at iteration {runner.iter + 1} before saving '
            'or validating NaN weights. The datasets refuse non-finite '
            'keypoints at load time, so look at the transforms and the '
            'learning rate (or resume from an earlier checkpoint).')
