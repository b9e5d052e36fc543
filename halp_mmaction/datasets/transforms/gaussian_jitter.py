from typing import Dict

import numpy as np
from mmcv.transforms import BaseTransform

from mmaction.registry import TRANSFORMS
from .keypoint_checks import check_non_negative, get_keypoint


@TRANSFORMS.register_module()
class GaussianJitter(BaseTransform):
    """Add i.i.d. Gaussian noise to every present joint coordinate.

    A joint is present when any of its coordinates is non-zero; absent
    persons, padded frames and zeroed joints get no noise, so they stay
    exactly zero.

    Required Keys:

        - keypoint (M, T, V, C)

    Modified Keys:

        - keypoint

    Args:
        std (float): Standard deviation of the noise, in keypoint units.
            Defaults to 0.01.
    """

    def __init__(self, std: float = 0.01) -> None:
        self.std = check_non_negative(self.__class__.__name__, 'std', std)

    def transform(self, results: Dict) -> Dict:
        """The transform function of :class:`GaussianJitter`.

        Args:
            results (dict): The result dict.

        Returns:
            dict: The result dict.
        """
        keypoint = get_keypoint(results, self.__class__.__name__)
        keypoint = keypoint.astype(np.float32, copy=False)
        present = (keypoint != 0).any(axis=-1, keepdims=True)
        noise = np.random.normal(0, self.std, keypoint.shape)
        results['keypoint'] = keypoint + (noise * present).astype(np.float32)
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(std={self.std})'
