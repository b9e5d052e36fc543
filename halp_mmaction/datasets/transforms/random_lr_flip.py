from typing import Dict

import numpy as np
from mmcv.transforms import BaseTransform

from mmaction.registry import TRANSFORMS
from .keypoint_checks import check_probability, get_keypoint

# (left, right) joint pairs, 0-based. NTU RGB+D: shoulder-elbow-wrist-hand,
# hand tip and thumb, hip-knee-ankle-foot; the spine (0, 1, 20, 2, 3) maps to
# itself.
LEFT_RIGHT_PAIRS = {
    'nturgb+d': ((4, 8), (5, 9), (6, 10), (7, 11), (21, 23), (22, 24),
                 (12, 16), (13, 17), (14, 18), (15, 19)),
}


def flip_permutation(layout: str) -> np.ndarray:
    """The joint permutation that swaps left and right in ``layout``.

    Args:
        layout (str): A key of :data:`LEFT_RIGHT_PAIRS`.

    Returns:
        np.ndarray: ``perm`` such that ``flipped[..., j, :] = x[..., perm[j],
        :]``; an involution.
    """
    pairs = np.asarray(LEFT_RIGHT_PAIRS[layout])
    perm = np.arange(pairs.max() + 1)
    perm[pairs[:, 0]], perm[pairs[:, 1]] = pairs[:, 1], pairs[:, 0]
    return perm


@TRANSFORMS.register_module()
class RandomLRFlip(BaseTransform):
    """Mirror the skeleton left-right with probability ``p``.

    A mirrored body swaps both the joints' labels and their side, so a flip
    does two things: it swaps every left joint with its right counterpart
    (the layout's permutation; e.g. NTU's left shoulder 4 <-> right shoulder
    8) and negates the x coordinate, mirroring about the plane x = 0. Flip
    after centring the skeleton (e.g. after ``PreNormalize3D``) so it stays in
    place. Zero points stay (positive) zero.

    Required Keys:

        - keypoint (M, T, V, C), V matching the layout
        - keypoint_score (optional)

    Modified Keys:

        - keypoint
        - keypoint_score (optional, joints permuted)

    Args:
        p (float): Probability of flipping. Defaults to 0.5.
        layout (str): The joint layout; ``'nturgb+d'`` (25 joints).
            Defaults to ``'nturgb+d'``.
    """

    def __init__(self, p: float = 0.5, layout: str = 'nturgb+d') -> None:
        name = self.__class__.__name__
        self.p = check_probability(name, 'p', p)
        if layout not in LEFT_RIGHT_PAIRS:
            raise ValueError(f'{name}: layout must be one of '
                             f'{sorted(LEFT_RIGHT_PAIRS)}, got {layout!r}')
        self.layout = layout
        self.perm = flip_permutation(layout)

    def transform(self, results: Dict) -> Dict:
        """The transform function of :class:`RandomLRFlip`.

        Args:
            results (dict): The result dict.

        Returns:
            dict: The result dict.
        """
        name = self.__class__.__name__
        keypoint = get_keypoint(results, name)
        if keypoint.shape[2] != len(self.perm):
            raise ValueError(f'{name}: layout {self.layout!r} has '
                             f'{len(self.perm)} joints, results["keypoint"] '
                             f'has shape {keypoint.shape}')
        if np.random.rand() >= self.p:
            return results

        flipped = keypoint[:, :, self.perm].astype(np.float32, copy=False)
        # 0 - x rather than -x: absent joints stay +0.0, not -0.0.
        flipped[..., 0] = 0 - flipped[..., 0]
        results['keypoint'] = flipped
        if 'keypoint_score' in results:
            score = results['keypoint_score']
            results['keypoint_score'] = score[:, :, self.perm]
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(p={self.p}, '
                f'layout={self.layout!r})')
