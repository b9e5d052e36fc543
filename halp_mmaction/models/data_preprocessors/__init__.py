from .batched_transforms import build_batched_transform
from .skeleton_stream_preprocessor import SkeletonStreamPreprocessor
from .skeleton_view_preprocessor import SkeletonViewPreprocessor

__all__ = [
    'SkeletonStreamPreprocessor', 'SkeletonViewPreprocessor',
    'build_batched_transform'
]
