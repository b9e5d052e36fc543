from .contrastive_head import ContrastiveHead
from .halp_head import HaLPHead

__all__ = ['ContrastiveHead', 'HaLPHead']
