from typing import Dict, Optional, Tuple

import numpy as np
from mmcv.transforms import BaseTransform

from mmaction.registry import TRANSFORMS
from .keypoint_checks import check_probability, get_keypoint


@TRANSFORMS.register_module()
class JointCorruption(BaseTransform):
    """Corrupt a random subset of joints in every frame and person.

    The "joint corruption" of HaLP's official feeder. ``num_joints`` distinct
    joints are drawn; with probability ``p_zero`` they are set to zero,
    otherwise their coordinates are mixed by one random 3x3 matrix ``A``
    with entries ``U(-1, 1)`` (``x' = x @ A`` on row vectors, as the official
    ``np.dot``). The same joints and matrix apply to all persons and frames.
    Other joints are untouched; zero points stay zero.

    Required Keys:

        - keypoint (M, T, V, 3)

    Modified Keys:

        - keypoint

    Args:
        num_joints (int): How many joints to corrupt, at most V.
            Defaults to 15.
        p_zero (float): Probability of zeroing instead of mixing.
            Defaults to 0.5.
    """

    def __init__(self, num_joints: int = 15, p_zero: float = 0.5) -> None:
        name = self.__class__.__name__
        if not isinstance(num_joints, int) or num_joints < 0:
            raise ValueError(f'{name}: num_joints must be an int >= 0, '
                             f'got {num_joints!r}')
        self.num_joints = num_joints
        self.p_zero = check_probability(name, 'p_zero', p_zero)

    def _draw(self, num_joints: int
              ) -> Tuple[bool, np.ndarray, Optional[np.ndarray]]:
        """Draw whether to zero, which joints, and the mixing matrix (None
        when zeroing) for a skeleton of ``num_joints`` joints."""
        zero = bool(np.random.rand() < self.p_zero)
        joints = np.random.choice(num_joints, self.num_joints, replace=False)
        mix = None if zero else np.random.uniform(
            -1, 1, size=(3, 3)).astype(np.float32)
        return zero, joints, mix

    def transform(self, results: Dict) -> Dict:
        """The transform function of :class:`JointCorruption`.

        Args:
            results (dict): The result dict.

        Returns:
            dict: The result dict.
        """
        name = self.__class__.__name__
        keypoint = get_keypoint(results, name, 3)
        num_joints = keypoint.shape[2]
        if self.num_joints > num_joints:
            raise ValueError(f'{name}: num_joints={self.num_joints} exceeds '
                             f'the {num_joints} joints of results["keypoint"] '
                             f'{keypoint.shape}')

        zero, joints, mix = self._draw(num_joints)
        # Copy: the input array may be shared (e.g. by the dataset's cache).
        out = keypoint.astype(np.float32, copy=True)
        if zero:
            out[:, :, joints] = 0
        else:
            picked = out[:, :, joints]
            out[:, :, joints] = (picked.reshape(-1, 3) @ mix).reshape(
                picked.shape)
        results['keypoint'] = out
        return results

    def __repr__(self) -> str:
        repr_str = (f'{self.__class__.__name__}('
                    f'num_joints={self.num_joints}, '
                    f'p_zero={self.p_zero})')
        return repr_str
