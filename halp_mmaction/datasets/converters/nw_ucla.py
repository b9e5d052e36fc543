"""Northwestern-UCLA Multiview Action 3D (N-UCLA) -> skeleton pickle.

Input (Wang et al., CVPR 2014), as the GCN codebases distribute it
(``all_sqe/``): one JSON file per sequence, ``aAA_sSS_eEE_vVV.json`` (action,
subject 1-10, environment, camera view 1-3), holding
``{"file_name": "a01_s01_e00_v01", "skeletons": [[[x, y, z] x 20] x T],
"label": 1..10}``: 20 Kinect v1 joints per frame in the SDK's order, y up,
z the depth. The ten labels number the original action ids a01-a06, a08,
a09, a11, a12 (pick up with one hand, pick up with two hands, drop trash,
walk around, sit down, stand up, donning, doffing, throw, carry); a file
whose label disagrees with its name is invalid.

Output: one annotation per file, ``frame_dir`` the file stem, ``label`` the
file's label - 1 (0-9), ``keypoint`` (1, T, 25, 3) float32 in the NTU layout
(:mod:`.kinect_v1`; untracked joints stay zero), ``total_frames`` T. Some
sequences are a single frame (``a02_s09_e04_v02``); they are kept, as the
benchmark's protocol does. Split: the standard cross-view protocol, views 1
and 2 ``xview_train`` (1,020 sequences), view 3 ``xview_val`` (464).
"""
import json
import re
from pathlib import Path
from typing import Tuple

import numpy as np

from .base import (ConversionSummary, PathLike, Sample, SkeletonParseError,
                   TaskResult)
from .kinect_v1 import KINECT_V1_JOINTS, ntu_mapping_matrix, to_ntu_layout
from .parsing import check_float32_finite, read_text
from .runner import convert_folder

# The pickle's size as a share of the raw files' (measured on the real files,
# rounded down): checked against the free space before converting.
OUTPUT_SIZE_RATIO = 0.4

SPLITS = ('xview_train', 'xview_val')
TRAIN_VIEWS = (1, 2)
NUM_VIEWS, NUM_SUBJECTS = 3, 10
# Original action id -> the file's 1-based label.
ACTION_LABELS = {1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6, 8: 7, 9: 8, 11: 9,
                 12: 10}
MAPPING = ntu_mapping_matrix(KINECT_V1_JOINTS)
_NAME = re.compile(r'a(\d{2})_s(\d{2})_e(\d{2})_v(\d{2})')


def parse_nw_ucla_name(path: PathLike) -> Tuple[int, int, int, int]:
    """``(action, subject, environment, view)`` of ``aAA_sSS_eEE_vVV.json``.
    """
    path = Path(path)
    match = _NAME.fullmatch(path.stem) if path.suffix == '.json' else None
    if match is None:
        raise SkeletonParseError(
            path, 'unknown file name: expected aAA_sSS_eEE_vVV.json')
    action, subject, env, view = map(int, match.groups())
    if action not in ACTION_LABELS or not 1 <= subject <= NUM_SUBJECTS \
            or not 1 <= view <= NUM_VIEWS:
        raise SkeletonParseError(
            path, f'action {action} / subject {subject} / view {view} outside '
            f'{sorted(ACTION_LABELS)} / 1..{NUM_SUBJECTS} / 1..{NUM_VIEWS}')
    return action, subject, env, view


def read_nw_ucla_skeleton(path: PathLike) -> Tuple[np.ndarray, int]:
    """Read a file as (T, 20, 3) float64 joints and its 1-based label."""
    path = Path(path)
    try:
        record = json.loads(read_text(path))
    except json.JSONDecodeError as err:
        raise SkeletonParseError(path, f'not valid JSON: {err.msg}',
                                 err.lineno)
    if not isinstance(record, dict) or not {'skeletons', 'label'} <= set(
            record):
        raise SkeletonParseError(
            path, 'expected a JSON object with "skeletons" and "label"')
    if record.get('file_name', path.stem) != path.stem:
        raise SkeletonParseError(
            path, f'"file_name" is {record["file_name"]!r}, not the file\'s '
            f'name {path.stem!r}')
    label = record['label']
    if isinstance(label, bool) or not isinstance(label, int):
        raise SkeletonParseError(path, f'"label" must be an int, got '
                                 f'{label!r}')
    try:
        joints = np.asarray(record['skeletons'], dtype=np.float64)
    except (TypeError, ValueError):
        raise SkeletonParseError(
            path, '"skeletons" must be a T x 20 x 3 array of numbers '
            '(frames of different sizes or non-numbers found)')
    if joints.size == 0:
        raise SkeletonParseError(path, 'empty sequence: no frame')
    if joints.ndim != 3 or joints.shape[1:] != (len(KINECT_V1_JOINTS), 3):
        raise SkeletonParseError(
            path, f'"skeletons" has shape {joints.shape}, expected '
            f'(T, {len(KINECT_V1_JOINTS)}, 3) (20 Kinect v1 joints of x, y, '
            'z)')
    check_float32_finite(path, joints, lambda i: f'frame {i[0]}, joint '
                         f'{i[1]}, coordinate {"xyz"[i[2]]}')
    return joints, label


def _convert_file(path: str) -> TaskResult:
    action, _, _, view = parse_nw_ucla_name(path)
    joints, label = read_nw_ucla_skeleton(path)
    if label != ACTION_LABELS[action]:
        raise SkeletonParseError(
            path, f'"label" is {label}, but action a{action:02d} has label '
            f'{ACTION_LABELS[action]}')
    if not joints.any():
        raise SkeletonParseError(
            path, 'all coordinates are zero (no skeleton tracked)')
    keypoint = to_ntu_layout(joints, MAPPING)[None].astype(np.float32)
    annotation = dict(
        frame_dir=Path(path).stem,
        label=label - 1,
        keypoint=keypoint,
        total_frames=keypoint.shape[1])
    split = 'xview_train' if view in TRAIN_VIEWS else 'xview_val'
    return TaskResult(samples=[Sample(annotation, (split, ))])


def convert_nw_ucla(data_root: PathLike,
                    out: PathLike,
                    workers: int = 1,
                    skip_invalid: bool = False,
                    overwrite: bool = False,
                    progress: bool = True) -> ConversionSummary:
    """Convert a folder of N-UCLA ``.json`` files (``all_sqe/``).

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
        data_root, '.json', parse_nw_ucla_name, _convert_file, out, SPLITS,
        OUTPUT_SIZE_RATIO, workers=workers, skip_invalid=skip_invalid,
        overwrite=overwrite, progress=progress)
