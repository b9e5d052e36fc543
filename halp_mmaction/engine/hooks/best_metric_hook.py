"""The best and the last value of a validation metric, with their epochs."""
import json
import os.path as osp
from typing import Optional

from mmaction.registry import HOOKS
from mmengine.hooks import Hook
from mmengine.logging import print_log


@HOOKS.register_module()
class BestMetricHook(Hook):
    """Track a validation metric's best and last value over training.

    The official linear evaluation of HaLP (``action_classification.py``)
    tests every 5 epochs and reports the best top-1 it saw; the last epoch's
    is the stricter figure. After every validation this hook logs both, with
    the epoch of the best, keeps the history in the message hub (so it is in
    every checkpoint and survives ``--resume``; mmengine saves an epoch's
    checkpoint before that epoch's validation, so the validation of the
    epoch a run resumes from is not in it) and, at the end of training,
    writes ``WORK_DIR/best_and_last.json``: ``metric``, ``best``,
    ``best_epoch``, ``last``, ``last_epoch`` and ``history`` (one
    ``[epoch, value]`` per validation).

    Args:
        metric (str): The metric's key in the validation results.
            Defaults to ``'acc/top1'``.
        rule (str): ``'greater'`` or ``'less'``. Defaults to ``'greater'``.
    """

    priority = 'LOW'

    def __init__(self, metric: str = 'acc/top1',
                 rule: str = 'greater') -> None:
        if rule not in ('greater', 'less'):
            raise ValueError(f"BestMetricHook: rule must be 'greater' or "
                             f"'less', got {rule!r}")
        self.metric = metric
        self.rule = rule

    @property
    def _key(self) -> str:
        return f'val_history/{self.metric}'

    def summary(self, runner) -> Optional[dict]:
        history = runner.message_hub.get_info(self._key) or []
        if not history:
            return None
        pick = max if self.rule == 'greater' else min
        best_epoch, best = pick(history, key=lambda h: h[1])
        last_epoch, last = history[-1]
        return dict(metric=self.metric, best=best, best_epoch=best_epoch,
                    last=last, last_epoch=last_epoch, history=history)

    def after_val_epoch(self, runner, metrics: Optional[dict] = None) -> None:
        if not metrics or self.metric not in metrics:
            return
        history = list(runner.message_hub.get_info(self._key) or [])
        history.append([runner.epoch, float(metrics[self.metric])])
        runner.message_hub.update_info(self._key, history)
        s = self.summary(runner)
        print_log(
            f'{self.metric}: last {s["last"]:.4f} (epoch {s["last_epoch"]}), '
            f'best {s["best"]:.4f} (epoch {s["best_epoch"]})',
            logger='current')

    def after_train(self, runner) -> None:
        summary = self.summary(runner)
        if summary is None:
            return
        with open(osp.join(runner.work_dir, 'best_and_last.json'), 'w') as f:
            json.dump(summary, f, indent=2)
