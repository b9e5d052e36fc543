from numbers import Real
from typing import Dict, Sequence, Union

import numpy as np
from mmcv.transforms import BaseTransform

from mmaction.registry import TRANSFORMS
from .keypoint_checks import get_keypoint


def rotation_matrix(angles: np.ndarray) -> np.ndarray:
    """Rotation by ``angles = (ax, ay, az)`` radians about x, then y, then z.

    Args:
        angles (np.ndarray): The three angles in radians.

    Returns:
        np.ndarray: ``Rz @ Ry @ Rx``, shape (3, 3).
    """
    (cx, cy, cz), (sx, sy, sz) = np.cos(angles), np.sin(angles)
    rot_x = np.array([[1, 0, 0], [0, cx, -sx], [0, sx, cx]])
    rot_y = np.array([[cy, 0, sy], [0, 1, 0], [-sy, 0, cy]])
    rot_z = np.array([[cz, -sz, 0], [sz, cz, 0], [0, 0, 1]])
    return rot_z @ rot_y @ rot_x


@TRANSFORMS.register_module()
class RandomRotation(BaseTransform):
    """Rotate 3-D skeletons by random angles about the x, y and z axes.

    Angles are drawn independently, ``U(-max_angle[i], max_angle[i])`` for
    axis ``i``, and composed as ``R = Rz @ Ry @ Rx`` (x first). Every point
    becomes ``R x`` about the origin, so bone lengths are preserved; rotate
    after centring the skeleton (e.g. after ``PreNormalize3D``) to rotate it
    in place. Zero points stay zero.

    Required Keys:

        - keypoint (M, T, V, 3)

    Modified Keys:

        - keypoint

    Args:
        max_angle (float | tuple[float, float, float]): Largest absolute
            angle in radians about x, y and z; a float applies to all three.
            Defaults to ``(0.3, 0.3, 0.3)``.
    """

    def __init__(self,
                 max_angle: Union[float, Sequence[float]] = (0.3, 0.3, 0.3)
                 ) -> None:
        name = self.__class__.__name__
        if isinstance(max_angle, Real):
            max_angle = (max_angle, ) * 3
        try:
            angles = np.asarray(max_angle, dtype=np.float64)
        except (TypeError, ValueError):
            angles = np.full(1, np.nan)
        if (angles.shape != (3, ) or not np.isfinite(angles).all()
                or (angles < 0).any()):
            raise ValueError(f'{name}: max_angle must be a number >= 0 or '
                             f'three of them (x, y, z), got {max_angle!r}')
        self.max_angle = tuple(float(a) for a in angles)

    def _rotation(self) -> np.ndarray:
        """Draw the angles and return their (3, 3) rotation matrix."""
        max_angle = np.asarray(self.max_angle)
        return rotation_matrix(np.random.uniform(-max_angle, max_angle))

    def transform(self, results: Dict) -> Dict:
        """The transform function of :class:`RandomRotation`.

        Args:
            results (dict): The result dict.

        Returns:
            dict: The result dict.
        """
        keypoint = get_keypoint(results, self.__class__.__name__, 3)
        rot = self._rotation()
        points = keypoint.astype(np.float32, copy=False).reshape(-1, 3)
        results['keypoint'] = (points @ rot.T.astype(np.float32)).reshape(
            keypoint.shape)
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(max_angle={self.max_angle})'
