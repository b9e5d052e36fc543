"""Warn when a contrastive loss climbs back to a uniform guess."""
import logging
from typing import Dict, Optional, Tuple

from mmaction.registry import HOOKS
from mmengine.hooks import Hook
from mmengine.logging import print_log
from torch import Tensor

from ...models.utils import get_ori_model


@HOOKS.register_module()
class ContrastiveCollapseHook(Hook):
    """Warn when a run's contrastive loss returns to chance after having
    learned: the embedding has collapsed, and the run would otherwise end
    with exit status 0 and an encoder no better than a random one.

    InfoNCE over the key and ``K`` queued keys is ``ln(K + 1)`` for an
    embedding that tells nothing apart. A run starts below that (the two
    views of a sample already agree) and falls; one that climbs back to
    within ``tolerance`` of it, after an epoch at least ``2 * tolerance``
    below it, has collapsed (seen on MSR Action3D's bone stream: 3.9 at
    epoch 10, 5.4 at epoch 140 against ln 257 = 5.55). Nothing in such a run
    is invalid, so :class:`TrainGuardHook` does not fire.

    The model states the chance level of each loss term
    (``contrastive_chance_levels()``: ``SkeletonMoCo``'s ``loss_moco``,
    ``SkeletonCMD``'s ``loss_moco_<stream>``); other models (a linear probe)
    are left alone. Each term's epoch mean is summed on the device and read
    once per epoch. The hook warns once per term when the collapse happens
    and again at the end of training if the last epoch is still there. The
    lowest epoch mean so far and the collapses found are saved in
    checkpoints (``contrastive_collapse``: ``lowest``, ``collapsed``, per
    term its epoch mean and 1-based epoch), so a resumed run judges as the
    uninterrupted one would, and a benchmark can tell a collapsed run from
    its final checkpoint.

    Args:
        tolerance (float): Relative band below ``ln(K + 1)`` that counts as
            chance, in (0, 0.5). Defaults to 0.05.
    """

    def __init__(self, tolerance: float = 0.05) -> None:
        if not isinstance(tolerance, (int, float)) or \
                not 0 < tolerance < 0.5:
            raise ValueError(f'{type(self).__name__}: tolerance must be in '
                             f'(0, 0.5), got {tolerance!r}')
        self.tolerance = float(tolerance)
        self._chance: Dict[str, float] = {}
        self._sums: Dict[str, Tensor] = {}
        self._steps = 0
        # Per term: (lowest epoch mean, its 1-based epoch).
        self._lowest: Dict[str, Tuple[float, int]] = {}
        self._collapsed: Dict[str, Tuple[float, int]] = {}
        self._last: Dict[str, float] = {}

    def before_train(self, runner) -> None:
        levels = getattr(get_ori_model(runner.model),
                         'contrastive_chance_levels', None)
        self._chance = dict(levels()) if callable(levels) else {}

    def before_train_epoch(self, runner) -> None:
        self._sums, self._steps = {}, 0

    def after_train_iter(self,
                         runner,
                         batch_idx: int,
                         data_batch=None,
                         outputs: Optional[dict] = None) -> None:
        if not self._chance:
            return
        self._steps += 1
        for name in self._chance:
            value = (outputs or {}).get(name)
            if isinstance(value, Tensor):
                value = value.detach()
                self._sums[name] = self._sums[name] + value \
                    if name in self._sums else value.clone()

    def after_train_epoch(self, runner) -> None:
        if not self._steps:
            return
        epoch = runner.epoch + 1
        for name, total in self._sums.items():
            mean = float(total) / self._steps  # one read per term and epoch
            self._last[name] = mean
            chance = self._chance[name]
            lowest = self._lowest.get(name)
            if lowest is None or mean < lowest[0]:
                self._lowest[name] = lowest = (mean, epoch)
            if (name not in self._collapsed
                    and mean >= (1 - self.tolerance) * chance
                    and lowest[0] <= (1 - 2 * self.tolerance) * chance):
                self._collapsed[name] = (mean, epoch)
                self._warn(name, mean, f'over epoch {epoch}')

    def after_train(self, runner) -> None:
        for name in self._collapsed:
            mean = self._last[name]
            if mean >= (1 - self.tolerance) * self._chance[name]:
                self._warn(name, mean, 'over the last epoch')

    def _warn(self, name: str, mean: float, when: str) -> None:
        chance = self._chance[name]
        lowest, at = self._lowest[name]
        print_log(
            f'{type(self).__name__}: {name} averaged {mean:.3f} {when}, '
            f'within {self.tolerance:.0%} of the {chance:.3f} of a uniform '
            f'guess over the key and the queue, after {lowest:.3f} at epoch '
            f'{at}: the embedding has collapsed, and the encoder is likely '
            'no better than a random one. Lower the learning rate or the '
            "HaLP weight, or resume from a checkpoint before the rise.",
            logger='current', level=logging.WARNING)

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        checkpoint['contrastive_collapse'] = dict(
            lowest=dict(self._lowest), collapsed=dict(self._collapsed))

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        if runner._resume:
            saved = checkpoint.get('contrastive_collapse') or {}
            self._lowest, self._collapsed = (
                {name: tuple(value) for name, value in
                 saved.get(part, {}).items()}
                for part in ('lowest', 'collapsed'))
