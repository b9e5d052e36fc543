from .best_metric_hook import BestMetricHook
from .contrastive_collapse_hook import ContrastiveCollapseHook
from .halp_schedule_hook import HaLPScheduleHook
from .momentum_update_hook import MomentumUpdateHook
from .random_state_hook import RandomStateHook
from .train_guard_hook import TrainGuardHook

__all__ = [
    'BestMetricHook', 'ContrastiveCollapseHook', 'MomentumUpdateHook',
    'HaLPScheduleHook', 'RandomStateHook', 'TrainGuardHook'
]
