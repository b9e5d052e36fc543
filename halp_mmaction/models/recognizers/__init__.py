from .skeleton_moco import SkeletonMoCo

__all__ = ['SkeletonMoCo']
