from typing import Dict, Sequence, Tuple, Union

import numpy as np
from mmcv.transforms import BaseTransform

from mmaction.registry import TRANSFORMS
from .keypoint_checks import check_interval, get_keypoint


def linear_resize_indices(in_len: int, out_len: int
                          ) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Source frames and weights of a 1-D linear resize.

    Follows ``F.interpolate(mode='linear', align_corners=False)``: output
    frame ``i`` samples ``src = (i + 0.5) * in_len / out_len - 0.5``, clamped
    to ``[0, in_len - 1]``, blending frames ``floor(src)`` and the next one.

    Args:
        in_len (int): Number of input frames (>= 1).
        out_len (int): Number of output frames (>= 1).

    Returns:
        tuple[np.ndarray]: ``lo`` and ``hi`` (int64, shape ``(out_len, )``)
        and ``weight`` of ``hi`` (float32, shape ``(out_len, )``).
    """
    src = (np.arange(out_len) + 0.5) * (in_len / out_len) - 0.5
    src = np.clip(src, 0, in_len - 1)
    lo = np.floor(src).astype(np.int64)
    hi = np.minimum(lo + 1, in_len - 1)
    return lo, hi, (src - lo).astype(np.float32)


@TRANSFORMS.register_module()
class TemporalCropResize(BaseTransform):
    """Crop a random temporal segment and resize it to ``clip_len`` frames.

    The temporal augmentation of HaLP (and AimCLR / CMD before it). Over the
    ``L`` valid frames, draw ``r ~ U(crop_ratio)``; the crop has
    ``min(max(floor(L * r), min_crop_len), L)`` frames and starts uniformly in
    ``[0, L - len]``, or at ``(L - len) // 2`` with ``center=True`` (the test
    time crop, e.g. ``crop_ratio=0.95``). The crop is then linearly resized to
    ``clip_len`` frames with the sampling of
    ``F.interpolate(..., align_corners=False)``, so short sequences are
    stretched and long ones squeezed. Frames past ``total_frames`` (padding)
    are never used. All-zero persons or joints stay zero.

    Required Keys:

        - keypoint
        - total_frames (optional, defaults to ``keypoint.shape[1]``)
        - keypoint_score (optional)

    Modified Keys:

        - keypoint
        - total_frames
        - keypoint_score (optional, resized like ``keypoint``)

    Args:
        clip_len (int): Frames of the output clip. Defaults to 64.
        crop_ratio (float | tuple[float, float]): Range of the crop length as
            a fraction of the valid frames, within ``(0, 1]``. A float means a
            fixed ratio. Defaults to ``(0.1, 1.0)``.
        min_crop_len (int): Shortest crop in frames, unless the sequence
            itself is shorter. Defaults to 64.
        center (bool): Take the centred crop of a fixed ratio instead of a
            random one; ``crop_ratio`` must then be a float or ``(r, r)``.
            Defaults to False.
    """

    def __init__(self,
                 clip_len: int = 64,
                 crop_ratio: Union[float, Sequence[float]] = (0.1, 1.0),
                 min_crop_len: int = 64,
                 center: bool = False) -> None:
        name = self.__class__.__name__
        if not isinstance(clip_len, int) or clip_len < 1:
            raise ValueError(f'{name}: clip_len must be an int >= 1, '
                             f'got {clip_len!r}')
        if not isinstance(min_crop_len, int) or min_crop_len < 1:
            raise ValueError(f'{name}: min_crop_len must be an int >= 1, '
                             f'got {min_crop_len!r}')
        self.crop_ratio = check_interval(
            name, 'crop_ratio', crop_ratio, low=0, high=1,
            low_inclusive=False)
        if center and self.crop_ratio[0] != self.crop_ratio[1]:
            raise ValueError(
                f'{name}: crop_ratio must be a float or (r, r) with '
                f'center=True (a fixed ratio), got {crop_ratio!r}')
        self.clip_len = clip_len
        self.min_crop_len = min_crop_len
        self.center = center

    def _crop_window(self, num_frames: int) -> Tuple[int, int]:
        """Draw the crop's start and length over ``num_frames`` frames."""
        low, high = self.crop_ratio
        ratio = low if self.center else np.random.uniform(low, high)
        length = min(max(int(np.floor(num_frames * ratio)),
                         self.min_crop_len), num_frames)
        if self.center:
            start = (num_frames - length) // 2
        else:
            start = np.random.randint(0, num_frames - length + 1)
        return int(start), length

    def transform(self, results: Dict) -> Dict:
        """The transform function of :class:`TemporalCropResize`.

        Args:
            results (dict): The result dict.

        Returns:
            dict: The result dict.
        """
        name = self.__class__.__name__
        keypoint = get_keypoint(results, name)
        num_frames = int(results.get('total_frames', keypoint.shape[1]))
        if num_frames < 1:
            raise ValueError(f'{name}: cannot crop an empty sequence '
                             f'(total_frames={num_frames}, keypoint shape '
                             f'{keypoint.shape})')
        if num_frames > keypoint.shape[1]:
            raise ValueError(f'{name}: total_frames={num_frames} exceeds the '
                             f'{keypoint.shape[1]} frames of '
                             f'results["keypoint"] {keypoint.shape}')

        start, length = self._crop_window(num_frames)
        lo, hi, weight = linear_resize_indices(length, self.clip_len)
        lo, hi = lo + start, hi + start

        def resize(arr: np.ndarray) -> np.ndarray:
            # Time is axis 1 of both keypoint (M, T, V, C) and score (M, T, V).
            w = weight.reshape((1, -1) + (1, ) * (arr.ndim - 2))
            arr = arr.astype(np.float32, copy=False)
            return arr[:, lo] * (1 - w) + arr[:, hi] * w

        results['keypoint'] = resize(keypoint)
        if 'keypoint_score' in results:
            results['keypoint_score'] = resize(results['keypoint_score'])
        results['total_frames'] = self.clip_len
        return results

    def __repr__(self) -> str:
        repr_str = (f'{self.__class__.__name__}('
                    f'clip_len={self.clip_len}, '
                    f'crop_ratio={self.crop_ratio}, '
                    f'min_crop_len={self.min_crop_len}, '
                    f'center={self.center})')
        return repr_str
