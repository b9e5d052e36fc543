from .gaussian_jitter import GaussianJitter
from .joint_corruption import JointCorruption
from .random_lr_flip import RandomLRFlip
from .random_rotation import RandomRotation
from .random_scale import RandomScale
from .random_shear import RandomShear
from .skeleton_normalize_3d import SkeletonNormalize3D
from .temporal_crop_resize import TemporalCropResize
from .two_views import TwoViews
from .vectorized_pre_normalize_3d import VectorizedPreNormalize3D

__all__ = [
    'GaussianJitter', 'JointCorruption', 'RandomLRFlip', 'RandomRotation',
    'RandomScale', 'RandomShear', 'SkeletonNormalize3D', 'TemporalCropResize', 'TwoViews',
    'VectorizedPreNormalize3D'
]
