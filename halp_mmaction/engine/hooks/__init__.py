from .halp_schedule_hook import HaLPScheduleHook
from .momentum_update_hook import MomentumUpdateHook
from .random_state_hook import RandomStateHook

__all__ = ['MomentumUpdateHook', 'HaLPScheduleHook', 'RandomStateHook']
