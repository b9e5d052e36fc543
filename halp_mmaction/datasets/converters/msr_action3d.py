"""MSR Action3D skeletons -> MMAction2 skeleton pickle, in the NTU layout.

Input (Li et al., CVPR Workshops 2010): ``aAA_sSS_eEE_skeleton3D.txt``
(action 1-20, subject 1-10, repetition 1-3), one line ``x y z confidence`` per
joint, 20 lines per frame (Kinect v1). Output: one annotation per file,
``frame_dir`` the file stem without ``_skeleton3D`` (``a01_s01_e01``),
``label`` = action - 1, ``keypoint`` (1, T, 25, 3) float32; frames where the
body was not tracked (all zeros) stay zeros, the confidence column is dropped
(MMAction2's 3D pipeline has no use for a ``keypoint_score``). Split: the
standard cross-subject protocol, odd subjects ``xsub_train``, even subjects
``xsub_val``. A file whose coordinates are all zeros (``a13_s09_e02``) is
invalid.

Why the NTU layout: MMAction2's ``Graph`` only knows the hard-coded layouts
'openpose', 'coco' and 'nturgb+d'. Mapped onto the 25 NTU joints, MSR
Action3D runs with ``graph_cfg=dict(layout='nturgb+d')``, the standard
NTU pipeline (``PreNormalize3D`` centres on NTU joint 2 and aligns NTU
joints 1-2 and 5-9, which all have a true MSR counterpart) and NTU-pretrained
encoders, unchanged.

Joints (1-based; MSR order as drawn by the dataset's ``drawskt.m``):

====  ======================  =================================
NTU   NTU joint               taken from MSR
====  ======================  =================================
1     base of spine           7  hip centre
2     middle of spine         4  spine
3     neck                    (2 x 3 shoulder centre + 20 head) / 3
4     head                    20 head
5     left shoulder           1  left shoulder
6     left elbow              8  left elbow
7     left wrist              10 left wrist
8     left hand               12 left hand
9     right shoulder          2  right shoulder
10    right elbow             9  right elbow
11    right wrist             11 right wrist
12    right hand              13 right hand
13    left hip                5  left hip
14    left knee               14 left knee
15    left ankle              16 left ankle
16    left foot               18 left foot
17    right hip               6  right hip
18    right knee              15 right knee
19    right ankle             17 right ankle
20    right foot              19 right foot
21    spine (shoulders)       3  shoulder centre
22    left hand tip           12 left hand (copied)
23    left thumb              12 left hand (copied)
24    right hand tip          13 right hand (copied)
25    right thumb             13 right hand (copied)
====  ======================  =================================

Kinect v1 has a mid-spine joint (MSR 4), so NTU's spine-middle needs no
interpolation. Kinect v2's neck has no v1 counterpart: it is placed a third of
the way from the shoulder centre to the head, where it sits in NTU (the
median over the bodies of our NTU sample files is 0.35). Hand tips and thumbs
are copies of the hand.

Axes: the columns are x (horizontal, the subject's left toward -x), y
(vertical, up) and z (depth, metres from the sensor): the camera convention of
NTU, whose columns are also x, y (up), z, so the columns are kept in order.
(``drawskt.m`` plots column 2 as its z only because MATLAB's ``plot3`` draws
the third axis upward.) Left and right are the subject's: in "high arm wave",
performed with the right arm, MSR joint 13 is the raised hand.
"""
import re
from pathlib import Path
from typing import Tuple

import numpy as np

from .base import (ConversionError, ConversionSummary, PathLike, Sample,
                   SkeletonParseError, TaskResult, handle_invalid)
from .parsing import parse_float_rows, read_text
from .runner import run_conversion

NUM_MSR_JOINTS = 20
NUM_NTU_JOINTS = 25
NUM_ACTIONS, NUM_SUBJECTS = 20, 10
SPLITS = ('xsub_train', 'xsub_val')
SUFFIX = '_skeleton3D.txt'
_NAME = re.compile(r'a(\d{2})_s(\d{2})_e(\d{2})_skeleton3D\.txt')

# NTU joint (1-based) -> MSR joints (1-based) averaged with these weights.
MSR_TO_NTU = {
    1: {7: 1.}, 2: {4: 1.}, 3: {3: 2 / 3, 20: 1 / 3}, 4: {20: 1.},
    5: {1: 1.}, 6: {8: 1.}, 7: {10: 1.}, 8: {12: 1.},
    9: {2: 1.}, 10: {9: 1.}, 11: {11: 1.}, 12: {13: 1.},
    13: {5: 1.}, 14: {14: 1.}, 15: {16: 1.}, 16: {18: 1.},
    17: {6: 1.}, 18: {15: 1.}, 19: {17: 1.}, 20: {19: 1.},
    21: {3: 1.}, 22: {12: 1.}, 23: {12: 1.}, 24: {13: 1.}, 25: {13: 1.},
}


def _mapping_matrix() -> np.ndarray:
    weights = np.zeros((NUM_NTU_JOINTS, NUM_MSR_JOINTS))
    for ntu, sources in MSR_TO_NTU.items():
        for msr, w in sources.items():
            weights[ntu - 1, msr - 1] = w
    return weights


MAPPING = _mapping_matrix()


def parse_msr_name(path: PathLike) -> Tuple[int, int, int]:
    """``(action, subject, repetition)`` of ``aAA_sSS_eEE_skeleton3D.txt``."""
    match = _NAME.fullmatch(Path(path).name)
    if match is None:
        raise SkeletonParseError(
            path, 'unknown file name: expected aAA_sSS_eEE_skeleton3D.txt')
    action, subject, repetition = map(int, match.groups())
    if not (1 <= action <= NUM_ACTIONS and 1 <= subject <= NUM_SUBJECTS
            and repetition >= 1):
        raise SkeletonParseError(
            path, f'action {action} / subject {subject} / repetition '
            f'{repetition} outside 1..{NUM_ACTIONS} / 1..{NUM_SUBJECTS} / 1..')
    return action, subject, repetition


def read_msr_skeleton(path: PathLike) -> np.ndarray:
    """Read a file as (T, 20, 3) float64 MSR joints (confidence dropped)."""
    lines = read_text(path).splitlines()
    numbered = [(n, line) for n, line in enumerate(lines, 1) if line.strip()]
    if not numbered:
        raise SkeletonParseError(path, 'empty file: no frame', 1)
    if len(numbered) % NUM_MSR_JOINTS:
        rest = len(numbered) % NUM_MSR_JOINTS
        raise SkeletonParseError(
            path, f'truncated: {len(numbered)} joint lines, not a multiple '
            f'of {NUM_MSR_JOINTS} (the last frame has {rest})',
            numbered[-rest][0])
    line_numbers, rows = zip(*numbered)
    values = parse_float_rows(path, rows, line_numbers, 4)
    return values[:, :3].reshape(-1, NUM_MSR_JOINTS, 3)


def msr_to_ntu(joints: np.ndarray) -> np.ndarray:
    """Map (..., 20, 3) MSR joints to (..., 25, 3) NTU joints."""
    return np.einsum('nm,...mc->...nc', MAPPING, joints)


def _convert_file(path: str) -> TaskResult:
    action, subject, _ = parse_msr_name(path)
    joints = read_msr_skeleton(path)
    if not joints.any():
        raise SkeletonParseError(
            path, 'all coordinates are zero (no skeleton tracked)')
    keypoint = msr_to_ntu(joints)[None].astype(np.float32)
    annotation = dict(
        frame_dir=Path(path).name[:-len(SUFFIX)],
        label=action - 1,
        keypoint=keypoint,
        total_frames=keypoint.shape[1])
    split = 'xsub_train' if subject % 2 else 'xsub_val'
    return TaskResult(samples=[Sample(annotation, (split,))])


def convert_msr_action3d(data_root: PathLike,
                         out: PathLike,
                         workers: int = 1,
                         skip_invalid: bool = False,
                         overwrite: bool = False,
                         progress: bool = True) -> ConversionSummary:
    """Convert a folder of ``*_skeleton3D.txt`` files (other files, such as
    ``drawskt.m``, are left out and counted in the summary).

    Args:
        data_root (str | PathLike): The folder.
        out (str | PathLike): Output pickle.
        workers (int): Worker processes. Defaults to 1.
        skip_invalid (bool): Skip invalid files instead of stopping.
        overwrite (bool): Replace an existing ``out``.
        progress (bool): Show a progress bar.

    Returns:
        ConversionSummary: What was written and skipped.
    """
    root = Path(data_root)
    if not root.is_dir():
        raise ConversionError(f'data root {root} is not a directory')
    files = sorted(p for p in root.iterdir() if p.is_file())
    paths = [p for p in files if p.name.endswith(SUFFIX)]
    if not paths:
        raise ConversionError(f'no *{SUFFIX} file in {root}')
    tasks, skipped = [], []
    for path in paths:
        try:
            parse_msr_name(path)
            tasks.append(str(path))
        except SkeletonParseError as err:
            skipped.append(handle_invalid(err, skip_invalid))
    others = [p.name for p in files if not p.name.endswith(SUFFIX)]
    notes = [f'left out {len(others)} other file(s) in {root}: '
             + ', '.join(others[:5]) + (', ...' if len(others) > 5 else '')
             ] if others else []
    return run_conversion(
        tasks, _convert_file, out, SPLITS, workers=workers,
        skip_invalid=skip_invalid, overwrite=overwrite, progress=progress,
        skipped=skipped, notes=notes)
