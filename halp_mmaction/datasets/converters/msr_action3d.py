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

Joints: the 20 Kinect v1 joints in the order of the dataset's ``drawskt.m``
(:data:`MSR_ORDER`), mapped onto NTU's 25 by :mod:`.kinect_v1`, the mapping
N-UCLA shares.

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

from .base import (ConversionSummary, PathLike, Sample, SkeletonParseError,
                   TaskResult)
from .kinect_v1 import (NUM_KINECT_V1_JOINTS, ntu_mapping_matrix,
                        to_ntu_layout)
from .parsing import parse_float_rows, read_text
from .runner import convert_folder

# The pickle's size as a share of the raw files' (measured on the real files,
# rounded down): checked against the free space before converting.
OUTPUT_SIZE_RATIO = 0.35

NUM_MSR_JOINTS = NUM_KINECT_V1_JOINTS
NUM_ACTIONS, NUM_SUBJECTS = 20, 10
SPLITS = ('xsub_train', 'xsub_val')
SUFFIX = '_skeleton3D.txt'
_NAME = re.compile(r'a(\d{2})_s(\d{2})_e(\d{2})_skeleton3D\.txt')

# The joints of an MSR Action3D frame, in file order (drawskt.m).
MSR_ORDER = (
    'left_shoulder', 'right_shoulder', 'shoulder_centre', 'spine',
    'left_hip', 'right_hip', 'hip_centre', 'left_elbow', 'right_elbow',
    'left_wrist', 'right_wrist', 'left_hand', 'right_hand', 'left_knee',
    'right_knee', 'left_ankle', 'right_ankle', 'left_foot', 'right_foot',
    'head')
MAPPING = ntu_mapping_matrix(MSR_ORDER)


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
    return to_ntu_layout(joints, MAPPING)


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
    return convert_folder(
        data_root, SUFFIX, parse_msr_name, _convert_file, out, SPLITS,
        OUTPUT_SIZE_RATIO, workers=workers, skip_invalid=skip_invalid,
        overwrite=overwrite, progress=progress)
