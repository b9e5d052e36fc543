from .frozen_backbone_recognizer import FrozenBackboneRecognizer
from .skeleton_cmd import SkeletonCMD
from .skeleton_moco import SkeletonMoCo

__all__ = ['FrozenBackboneRecognizer', 'SkeletonCMD', 'SkeletonMoCo']
