"""The official skeleton pre-normalisation, as a vectorised transform."""
from typing import Dict, Sequence

import numpy as np
from mmcv.transforms import BaseTransform

from mmaction.registry import TRANSFORMS
from .keypoint_checks import get_keypoint


def minimal_rotation(vector: np.ndarray, target: np.ndarray) -> np.ndarray:
    """The rotation about ``vector x target`` that turns ``vector`` onto the
    direction of the unit ``target`` (Rodrigues' formula).

    The identity when ``vector`` is zero or (anti)parallel to ``target``, as
    2s-AGCN's ``rotation_matrix(np.cross(v, t), angle_between(v, t))``.

    Returns:
        np.ndarray: (3, 3) float64.
    """
    norm = np.linalg.norm(vector)
    if norm < 1e-12:
        return np.eye(3)
    axis = np.cross(vector / norm, target)
    sin = np.linalg.norm(axis)
    if sin < 1e-12:
        return np.eye(3)
    x, y, z = axis / sin
    skew = np.array([[0, -z, y], [z, 0, -x], [-y, x, 0]])
    cos = float(np.dot(vector / norm, target))
    return np.eye(3) + sin * skew + (1 - cos) * skew @ skew


def pad_null_frames(keypoint: np.ndarray) -> np.ndarray:
    """2s-AGCN's padding of vanished persons, for (M, T, V, C) keypoints.

    Per person: if its first frame is empty, its non-empty frames are moved
    to the front (in order, empty frames between them dropped); then the
    empty frames after its last non-empty one are filled by repeating its
    frames from the first on. Empty frames between non-empty ones stay
    empty, and an all-empty person stays empty. One gather, no loop.
    """
    num_frames = keypoint.shape[1]
    present = (keypoint != 0).any(axis=(2, 3))  # (M, T)
    count = present.sum(axis=1, keepdims=True)
    frames = np.arange(num_frames)[None]
    compact = ~present[:, :1] & (count > 0)
    # A stable sort puts each person's present frames first, in order.
    source = np.where(compact,
                      np.argsort(~present, axis=1, kind='stable'), frames)
    present = np.where(compact, frames < count, present)
    end = num_frames - np.argmax(present[:, ::-1], axis=1)[:, None]
    end = np.where(count > 0, end, num_frames)
    repeat = np.where(frames >= end, (frames - end) % end, frames)
    source = np.take_along_axis(source, repeat, axis=1)
    return np.take_along_axis(keypoint, source[:, :, None, None], axis=1)


@TRANSFORMS.register_module()
class SkeletonNormalize3D(BaseTransform):
    """Centre, align and optionally scale 3-D skeletons, vectorised.

    The defaults are the official preprocessing of HaLP and CMD (2s-AGCN's
    ``pre_normalization``, which produced the ``.npy`` sets their numbers
    come from), for (M, T, V, 3) keypoints in the NTU layout:

    1. ``pad_null_frames``: a person who vanishes is padded by repeating its
       own frames (see :func:`pad_null_frames`);
    2. in every frame, the main person's ``centre_joint`` (NTU 2, the middle
       of the spine) is subtracted from every person: the global trajectory
       is removed. Absent joints stay zero. With ``centre_per_frame=False``
       the first frame's joint is subtracted from all frames instead
       (MMAction2's ``PreNormalize3D``), which keeps the trajectory;
    3. one rotation, from the main person's first frame, turns the bone
       ``zaxis[0] -> zaxis[1]`` (hip -> spine) onto +z, then the bone
       ``xaxis[1] -> xaxis[0]`` (left -> right shoulder) onto +x, composed as
       the official two steps. ``align_frames='all'`` takes both bones'
       mean over the main person's frames instead of the first frame, which
       a single noisy first frame cannot throw off;
    4. ``unit_scale``: divide by the mean distance of the main person's
       joints to the centre joint, over its present frames (body size and
       sensor scale removed).

    The main person is the first one that is present anywhere (the
    converters put the most active body first). Unlike ``PreNormalize3D``
    no frame is dropped: ``total_frames`` is unchanged.

    Required Keys:
        - keypoint (M, T, V, 3)

    Modified Keys:
        - keypoint (float32)

    Args:
        centre_joint (int): Joint subtracted (0-based). Defaults to 1.
        centre_per_frame (bool): Subtract it in every frame. Defaults to
            True.
        zaxis (Sequence[int]): ``(bottom, top)`` joints of the bone aligned
            with +z, or None for no spine alignment. Defaults to (0, 1).
        xaxis (Sequence[int]): ``(right, left)`` joints; the bone from the
            second to the first is aligned with +x, or None. Defaults to
            (8, 4).
        align_frames (str): ``'first'`` or ``'all'``. Defaults to 'first'.
        pad_null_frames (bool): Defaults to True.
        unit_scale (bool): Defaults to False.
    """

    def __init__(self,
                 centre_joint: int = 1,
                 centre_per_frame: bool = True,
                 zaxis: Sequence[int] = (0, 1),
                 xaxis: Sequence[int] = (8, 4),
                 align_frames: str = 'first',
                 pad_null_frames: bool = True,
                 unit_scale: bool = False) -> None:
        name = self.__class__.__name__
        for arg, value in (('zaxis', zaxis), ('xaxis', xaxis)):
            if value is not None and (len(value) != 2 or not all(
                    isinstance(j, int) and j >= 0 for j in value)):
                raise ValueError(f'{name}: {arg} must be None or two joint '
                                 f'indices >= 0, got {value!r}')
        if not isinstance(centre_joint, int) or centre_joint < 0:
            raise ValueError(f'{name}: centre_joint must be an int >= 0, got '
                             f'{centre_joint!r}')
        if align_frames not in ('first', 'all'):
            raise ValueError(f"{name}: align_frames must be 'first' or "
                             f"'all', got {align_frames!r}")
        self.centre_joint = centre_joint
        self.centre_per_frame = centre_per_frame
        self.zaxis = None if zaxis is None else tuple(zaxis)
        self.xaxis = None if xaxis is None else tuple(xaxis)
        self.align_frames = align_frames
        self.pad_null_frames = pad_null_frames
        self.unit_scale = unit_scale

    def _bone(self, main: np.ndarray, joints: Sequence[int],
              present: np.ndarray) -> np.ndarray:
        """The main person's ``joints[1] - joints[0]`` (first or mean)."""
        bone = main[:, joints[1]] - main[:, joints[0]]
        if self.align_frames == 'first':
            return bone[np.argmax(present)]
        return bone[present].mean(axis=0)

    def transform(self, results: Dict) -> Dict:
        """The transform function of :class:`SkeletonNormalize3D`.

        Args:
            results (dict): The result dict.

        Returns:
            dict: The result dict.
        """
        name = self.__class__.__name__
        keypoint = get_keypoint(results, name, 3)
        joints = [self.centre_joint, *(self.zaxis or ()), *(self.xaxis or ())]
        if max(joints) >= keypoint.shape[2]:
            raise ValueError(
                f'{name}: joint {max(joints)} (centre_joint / zaxis / xaxis) '
                f'does not exist in results["keypoint"] {keypoint.shape}')
        keypoint = keypoint.astype(np.float32)  # a copy: never in place
        present = (keypoint != 0).any(axis=(2, 3))
        if not present.any():
            results['keypoint'] = keypoint
            return results
        if self.pad_null_frames:
            keypoint = pad_null_frames(keypoint)
            present = (keypoint != 0).any(axis=(2, 3))
        main_idx = int(np.argmax(present.any(axis=1)))
        main, main_present = keypoint[main_idx], present[main_idx]

        centre = main[:, self.centre_joint]  # (T, 3)
        if not self.centre_per_frame:
            centre = np.broadcast_to(centre[np.argmax(main_present)],
                                     centre.shape)
        tracked = (keypoint != 0).any(axis=-1, keepdims=True)
        keypoint = (keypoint - centre[None, :, None]) * tracked
        main = keypoint[main_idx]

        rotation = np.eye(3)
        if self.zaxis is not None:
            rotation = minimal_rotation(
                self._bone(main, self.zaxis, main_present),
                np.array([0., 0., 1.]))
        if self.xaxis is not None:
            # The bone from xaxis[1] to xaxis[0], after the first rotation.
            shoulders = rotation @ self._bone(main, self.xaxis[::-1],
                                              main_present)
            rotation = minimal_rotation(shoulders,
                                        np.array([1., 0., 0.])) @ rotation
        keypoint = keypoint @ rotation.T.astype(np.float32)

        if self.unit_scale:
            radius = np.linalg.norm(main, axis=-1)[main_present].mean()
            keypoint /= max(float(radius), 1e-6)
        results['keypoint'] = np.ascontiguousarray(keypoint,
                                                   dtype=np.float32)
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(centre_joint={self.centre_joint}, '
                f'centre_per_frame={self.centre_per_frame}, '
                f'zaxis={self.zaxis}, xaxis={self.xaxis}, '
                f'align_frames={self.align_frames!r}, '
                f'pad_null_frames={self.pad_null_frames}, '
                f'unit_scale={self.unit_scale})')
