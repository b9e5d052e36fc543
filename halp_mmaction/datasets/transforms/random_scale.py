from typing import Dict, Sequence, Union

import numpy as np
from mmcv.transforms import BaseTransform

from mmaction.registry import TRANSFORMS
from .keypoint_checks import check_interval, get_keypoint


@TRANSFORMS.register_module()
class RandomScale(BaseTransform):
    """Scale skeletons by random factors about the origin.

    With ``isotropic=False`` (default) each coordinate axis gets its own
    factor ``U(scale)``, which also changes the body's proportions; with
    ``isotropic=True`` one factor scales all axes, preserving shape. The same
    factors apply to all persons, frames and joints. Zero points stay zero.

    Required Keys:

        - keypoint (M, T, V, C)

    Modified Keys:

        - keypoint

    Args:
        scale (float | tuple[float, float]): Range of the factors, ``0 < low
            <= high``. Defaults to ``(0.9, 1.1)``.
        isotropic (bool): One factor for all axes instead of one per axis.
            Defaults to False.
    """

    def __init__(self,
                 scale: Union[float, Sequence[float]] = (0.9, 1.1),
                 isotropic: bool = False) -> None:
        self.scale = check_interval(
            self.__class__.__name__, 'scale', scale, low=0,
            low_inclusive=False)
        self.isotropic = isotropic

    def _factors(self, num_coords: int) -> np.ndarray:
        """Draw the factors: one, or one per coordinate axis."""
        size = 1 if self.isotropic else num_coords
        return np.random.uniform(*self.scale, size=size)

    def transform(self, results: Dict) -> Dict:
        """The transform function of :class:`RandomScale`.

        Args:
            results (dict): The result dict.

        Returns:
            dict: The result dict.
        """
        keypoint = get_keypoint(results, self.__class__.__name__)
        factors = self._factors(keypoint.shape[-1])
        results['keypoint'] = (keypoint.astype(np.float32, copy=False)
                               * factors.astype(np.float32))
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(scale={self.scale}, '
                f'isotropic={self.isotropic})')
