from .latent_positives import hallucinate
from .spherical_kmeans import (kmeans_objective, kmeans_plus_plus_init,
                               spherical_kmeans)

__all__ = [
    'hallucinate', 'spherical_kmeans', 'kmeans_plus_plus_init',
    'kmeans_objective'
]
from .host_counters import HostMirroredCounters  # noqa: E402

__all__ += ['HostMirroredCounters']
