from .best_metric_hook import BestMetricHook
from .halp_schedule_hook import HaLPScheduleHook
from .momentum_update_hook import MomentumUpdateHook
from .random_state_hook import RandomStateHook
from .train_guard_hook import TrainGuardHook

__all__ = [
    'BestMetricHook', 'MomentumUpdateHook', 'HaLPScheduleHook',
    'RandomStateHook', 'TrainGuardHook'
]
