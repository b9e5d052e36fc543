from typing import Dict

import numpy as np
from mmcv.transforms import BaseTransform

from mmaction.registry import TRANSFORMS
from .keypoint_checks import check_non_negative, get_keypoint


@TRANSFORMS.register_module()
class RandomShear(BaseTransform):
    """Shear 3-D skeletons with one random matrix per sample.

    The "pose augmentation" of HaLP's official feeder. The shear matrix ``S``
    has ones on its diagonal and off-diagonal entries drawn from
    ``U(-beta, beta)``; every point becomes ``x' = S x`` (``x @ S.T`` on row
    vectors), the same ``S`` for all persons, frames and joints. Zero points
    (absent persons, padding) stay zero.

    Required Keys:

        - keypoint (M, T, V, 3)

    Modified Keys:

        - keypoint

    Args:
        beta (float): Half-width of the off-diagonal range, >= 0.
            Defaults to 1.0.
    """

    def __init__(self, beta: float = 1.0) -> None:
        self.beta = check_non_negative(self.__class__.__name__, 'beta', beta)

    def _shear_matrix(self) -> np.ndarray:
        """Draw the 3x3 shear matrix."""
        shear = np.random.uniform(-self.beta, self.beta, size=(3, 3))
        np.fill_diagonal(shear, 1.0)
        return shear

    def transform(self, results: Dict) -> Dict:
        """The transform function of :class:`RandomShear`.

        Args:
            results (dict): The result dict.

        Returns:
            dict: The result dict.
        """
        keypoint = get_keypoint(results, self.__class__.__name__, 3)
        shear = self._shear_matrix().astype(np.float32)
        # One (M*T*V, 3) @ (3, 3) product: faster than a batched matmul.
        points = keypoint.astype(np.float32, copy=False).reshape(-1, 3)
        results['keypoint'] = (points @ shear.T).reshape(keypoint.shape)
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(beta={self.beta})'
