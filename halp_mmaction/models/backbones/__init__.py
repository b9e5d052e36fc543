from .bigru import BiGRU, frame_by_frame_features

__all__ = ['BiGRU', 'frame_by_frame_features']
