from .cmd_head import CMDHead
from .contrastive_head import ContrastiveHead
from .halp_head import HaLPHead
from .skeleton_linear_head import SkeletonLinearHead

__all__ = ['CMDHead', 'ContrastiveHead', 'HaLPHead', 'SkeletonLinearHead']
