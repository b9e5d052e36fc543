from .host_counters import HostMirroredCounters
from .latent_positives import hallucinate
from .pooling import clip_pooled_features, pool_skeleton_features
from .skeleton_streams import STREAMS, bone_parents, skeleton_stream
from .spherical_kmeans import (kmeans_objective, kmeans_plus_plus_init,
                               spherical_kmeans)
from .wrappers import get_ori_model

__all__ = [
    'hallucinate', 'spherical_kmeans', 'kmeans_plus_plus_init',
    'kmeans_objective', 'HostMirroredCounters', 'clip_pooled_features',
    'pool_skeleton_features', 'get_ori_model', 'STREAMS', 'bone_parents',
    'skeleton_stream'
]
