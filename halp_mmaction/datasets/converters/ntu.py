"""NTU RGB+D 60 / 120 raw ``.skeleton`` files -> MMAction2 skeleton pickle.

Output (the conventions of MMAction2's ``ntu60_3d.pkl``): one annotation per
file, ``frame_dir`` the sample name (``S001C001P001R001A001``), ``label`` the
0-based action, ``total_frames`` the file's frame count and ``keypoint`` of
shape (M, T, 25, 3), float32, M <= 2: the raw camera-space x, y, z in metres,
unchanged (no centring or rotation: ``PreNormalize3D`` does that in the
pipeline). Frames where a body is absent are zeros.

Splits, by the official protocols (Shahroudy et al., CVPR 2016; Liu et al.,
TPAMI 2020), as in MMAction2's ``tools/data/skeleton/gen_ntu_rgbd_raw.py``:
``xsub_*`` by the published training-subject lists, ``xview_*`` (NTU-60)
cameras 2 and 3 train, ``xset_*`` (NTU-120) even setups train. NTU-60 is
setups 1-17 and actions 1-60; other files found under the data root are
excluded (and listed).

Bodies: Kinect tracks each body with a ``bodyID``; a track keeps its identity
across frames by that ID (frames where it is absent are zeros). Of the tracks
of a sample, the two with the highest motion energy are kept, most energetic
first. The energy of a track is the sum, over its 25 joints and x, y, z, of
the variance over time of the coordinate, over the frames where the body is
present. This is the selection of the ST-GCN / MS-G3D ``ntu_gendata`` scripts
("keep the two max-energy bodies") with one difference: they pool the
standard deviation over frames *and* joints per channel, which also counts the
skeleton's spatial extent, so a static body standing farther apart scores
high; the per-joint temporal variance measures motion only, and a noisy body
seen in a single frame scores zero.

Samples with no body in any frame (the official missing-skeleton list) are
skipped: by name when ``missing_list`` is given, else when found empty.
"""
import re
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional, Tuple

import numpy as np

from .base import (ConversionError, ConversionSummary, PathLike, Sample,
                   SkeletonParseError, Skip, TaskResult, handle_invalid)
from .parsing import parse_float_rows, read_text
from .runner import input_bytes, run_conversion

# The pickle's size as a share of the raw files' (measured on the real files,
# rounded down): checked against the free space before converting.
OUTPUT_SIZE_RATIO = 0.1

NTU60_XSUB_TRAIN_SUBJECTS = (1, 2, 4, 5, 8, 9, 13, 14, 15, 16, 17, 18, 19, 25,
                             27, 28, 31, 34, 35, 38)
NTU120_XSUB_TRAIN_SUBJECTS = NTU60_XSUB_TRAIN_SUBJECTS + (
    45, 46, 47, 49, 50, 52, 53, 54, 55, 56, 57, 58, 59, 70, 74, 78, 80, 81,
    82, 83, 84, 85, 86, 89, 91, 92, 93, 94, 95, 97, 98, 100, 103)
NTU60_XVIEW_TRAIN_CAMERAS = (2, 3)
NTU60_MAX_SETUP, NTU60_MAX_ACTION = 17, 60

SPLITS = {
    'ntu60': ('xsub_train', 'xsub_val', 'xview_train', 'xview_val'),
    'ntu120': ('xsub_train', 'xsub_val', 'xset_train', 'xset_val'),
}
NUM_JOINTS = 25
MAX_BODIES = 2
_NAME = re.compile(r'S(\d{3})C(\d{3})P(\d{3})R(\d{3})A(\d{3})')
_FULL_NAME = re.compile(_NAME.pattern + r'\.skeleton')
# x y z depthX depthY colorX colorY orientW orientX orientY orientZ tracking
_JOINT_VALUES = 12
_BODY_INFO_VALUES = 10


@dataclass(frozen=True)
class NTUSampleInfo:
    """The fields of a name like ``S001C002P003R002A013`` (all 1-based)."""
    setup: int
    camera: int
    performer: int
    replication: int
    action: int


def parse_ntu_name(path: PathLike) -> NTUSampleInfo:
    """Parse ``SsssCcccPpppRrrrAaaa.skeleton``; raise on any other name."""
    match = _FULL_NAME.fullmatch(Path(path).name)
    if match is None:
        raise SkeletonParseError(
            path, 'unknown file name: expected SsssCcccPpppRrrrAaaa.skeleton')
    info = NTUSampleInfo(*map(int, match.groups()))
    if min(info.setup, info.camera, info.performer, info.replication,
           info.action) < 1:
        raise SkeletonParseError(path, 'setup, camera, performer, '
                                 'replication and action are 1-based')
    return info


def ntu_splits(info: NTUSampleInfo, dataset: str) -> Tuple[str, ...]:
    """The splits a sample belongs to under the official protocols."""
    if dataset == 'ntu60':
        xsub = info.performer in NTU60_XSUB_TRAIN_SUBJECTS
        other = ('xview', info.camera in NTU60_XVIEW_TRAIN_CAMERAS)
    else:
        xsub = info.performer in NTU120_XSUB_TRAIN_SUBJECTS
        other = ('xset', info.setup % 2 == 0)
    return tuple(f'{name}_{"train" if train else "val"}'
                 for name, train in (('xsub', xsub), other))


def read_missing_list(path: PathLike) -> set:
    """Sample names in an official missing-skeleton list (header ignored)."""
    text = read_text(path)
    names = {match.group(0) for match in _NAME.finditer(text)}
    if not names:
        raise SkeletonParseError(path, 'no sample name (SsssCcccPpppRrrrAaaa) '
                                 'in the missing-skeleton list')
    return names


def _parse_int(path, lines: List[str], i: int, what: str) -> int:
    if i >= len(lines):
        raise SkeletonParseError(
            path, f'unexpected end of file: expected {what}', i + 1)
    try:
        return int(lines[i])
    except ValueError:
        raise SkeletonParseError(
            path, f'expected {what}, found {lines[i].strip()[:40]!r}', i + 1)


def parse_ntu_skeleton(path: PathLike
                       ) -> Tuple[np.ndarray, np.ndarray, List[int]]:
    """Read every body track of a raw NTU ``.skeleton`` file.

    Accepts LF and CRLF line endings, frames with no body and any number of
    bodies per frame. The per-frame structure is walked line by line; the
    joint lines of the whole file are then parsed in one numpy call.

    Args:
        path (str | PathLike): The ``.skeleton`` file.

    Returns:
        tuple: ``keypoint`` float32 (K, T, 25, 3) with the raw x, y, z of each
        of the K tracks (zeros where absent), ``present`` bool (K, T), and
        the ``bodyID`` of each track, in order of first appearance.
    """
    lines = read_text(path).splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines:
        raise SkeletonParseError(path, 'empty file', 1)
    num_frames = _parse_int(path, lines, 0, 'the frame count')
    if num_frames <= 0:
        raise SkeletonParseError(
            path, f'empty sequence: frame count is {num_frames}', 1)

    tracks = {}  # (bodyID, occurrence within the frame) -> track index
    inst_track, inst_frame, joint_starts = [], [], []
    i = 1
    for t in range(num_frames):
        num_bodies = _parse_int(path, lines, i,
                                f'the body count of frame {t + 1}')
        if num_bodies < 0:
            raise SkeletonParseError(
                path, f'negative body count {num_bodies}', i + 1)
        i += 1
        seen = {}
        for b in range(num_bodies):
            where = f'frame {t + 1}, body {b + 1}'
            if i >= len(lines):
                raise SkeletonParseError(
                    path, f'unexpected end of file: expected the body line '
                    f'of {where}', i + 1)
            body_info = lines[i].split()
            try:
                if len(body_info) != _BODY_INFO_VALUES:
                    raise ValueError
                body_id = int(body_info[0])
            except ValueError:
                raise SkeletonParseError(
                    path, f'malformed body line of {where}: expected '
                    f'{_BODY_INFO_VALUES} values starting with an integer '
                    'bodyID', i + 1)
            num_joints = _parse_int(path, lines, i + 1,
                                    f'the joint count of {where}')
            if num_joints != NUM_JOINTS:
                raise SkeletonParseError(
                    path, f'{where} has {num_joints} joints, expected '
                    f'{NUM_JOINTS}', i + 2)
            i += 2
            if i + NUM_JOINTS > len(lines):
                raise SkeletonParseError(
                    path, f'unexpected end of file in the joints of {where}',
                    len(lines) + 1)
            occurrence = seen.get(body_id, 0)
            seen[body_id] = occurrence + 1
            key = (body_id, occurrence)
            inst_track.append(tracks.setdefault(key, len(tracks)))
            inst_frame.append(t)
            joint_starts.append(i)
            i += NUM_JOINTS
    if i < len(lines):
        raise SkeletonParseError(
            path, f'unexpected content after the last of {num_frames} '
            'frames (is the frame count right?)', i + 1)

    keypoint = np.zeros((len(tracks), num_frames, NUM_JOINTS, 3), np.float32)
    present = np.zeros((len(tracks), num_frames), bool)
    if joint_starts:
        starts = np.asarray(joint_starts)
        rows = [row for s in joint_starts for row in lines[s:s + NUM_JOINTS]]
        line_numbers = (starts[:, None] + np.arange(NUM_JOINTS) + 1).ravel()
        values = parse_float_rows(path, rows, line_numbers, _JOINT_VALUES)
        xyz = values[:, :3].reshape(len(starts), NUM_JOINTS, 3)
        keypoint[inst_track, inst_frame] = xyz
        present[inst_track, inst_frame] = True
    return keypoint, present, [body_id for body_id, _ in tracks]


def motion_energy(keypoint: np.ndarray, present: np.ndarray) -> np.ndarray:
    """Per track: sum over joints and x, y, z of the temporal variance,
    over the frames where the body is present.

    Args:
        keypoint (np.ndarray): (K, T, V, C).
        present (np.ndarray): bool (K, T).

    Returns:
        np.ndarray: float64 (K,).
    """
    energy = np.zeros(len(keypoint))
    for k, (track, mask) in enumerate(zip(keypoint, present)):
        if mask.any():
            energy[k] = track[mask].astype(np.float64).var(axis=0).sum()
    return energy


def select_bodies(keypoint: np.ndarray, present: np.ndarray,
                  max_bodies: int = MAX_BODIES) -> np.ndarray:
    """Keep the ``max_bodies`` tracks with the highest motion energy, most
    energetic first (ties: first seen first)."""
    order = np.argsort(-motion_energy(keypoint, present), kind='stable')
    return keypoint[order[:max_bodies]]


def _convert_file(task: Tuple[str, str]) -> TaskResult:
    path, dataset = task
    info = parse_ntu_name(path)
    keypoint, present, _ = parse_ntu_skeleton(path)
    if not present.any():
        return TaskResult(skipped=[Skip(path, 'no body in any frame')])
    keypoint = select_bodies(keypoint, present)
    annotation = dict(
        frame_dir=Path(path).stem,
        label=info.action - 1,
        keypoint=keypoint,
        total_frames=keypoint.shape[1])
    return TaskResult(samples=[Sample(annotation, ntu_splits(info, dataset))])


def convert_ntu(data_root: PathLike,
                out: PathLike,
                dataset: str = 'ntu60',
                missing_list: Optional[PathLike] = None,
                workers: int = 1,
                skip_invalid: bool = False,
                overwrite: bool = False,
                progress: bool = True) -> ConversionSummary:
    """Convert a folder of raw NTU ``.skeleton`` files (searched
    recursively, so both NTU-120 archives can sit side by side).

    Args:
        data_root (str | PathLike): Folder of ``.skeleton`` files.
        out (str | PathLike): Output pickle.
        dataset (str): ``'ntu60'`` or ``'ntu120'``. Defaults to 'ntu60'.
        missing_list (str | PathLike, optional): The official list of samples
            with missing skeletons; they are skipped unread.
        workers (int): Worker processes. Defaults to 1.
        skip_invalid (bool): Skip malformed files instead of stopping.
        overwrite (bool): Replace an existing ``out``.
        progress (bool): Show a progress bar.

    Returns:
        ConversionSummary: What was written and skipped.
    """
    if dataset not in SPLITS:
        raise ConversionError(
            f'unknown dataset {dataset!r}; expected one of {sorted(SPLITS)}')
    root = Path(data_root)
    if not root.is_dir():
        raise ConversionError(f'data root {root} is not a directory')
    missing = read_missing_list(missing_list) if missing_list else set()
    paths = sorted(root.rglob('*.skeleton'), key=lambda p: (p.name, p))
    if not paths:
        raise ConversionError(f'no .skeleton file under {root}')

    tasks, skipped, names = [], [], {}
    for path in paths:
        try:
            info = parse_ntu_name(path)
        except SkeletonParseError as err:
            skipped.append(handle_invalid(err, skip_invalid))
            continue
        if path.stem in names:
            raise ConversionError(
                f'{path.stem} found twice: {names[path.stem]} and {path}')
        names[path.stem] = path
        if dataset == 'ntu60' and (info.setup > NTU60_MAX_SETUP
                                   or info.action > NTU60_MAX_ACTION):
            skipped.append(Skip(str(path), 'not in NTU RGB+D 60 (setup > '
                                f'{NTU60_MAX_SETUP} or action > '
                                f'{NTU60_MAX_ACTION})'))
        elif path.stem in missing:
            skipped.append(Skip(str(path), 'in the missing-skeleton list'))
        else:
            tasks.append((str(path), dataset))
    return run_conversion(
        tasks, _convert_file, out, SPLITS[dataset], workers=workers,
        skip_invalid=skip_invalid, overwrite=overwrite, progress=progress,
        skipped=skipped, expected_bytes=int(
            OUTPUT_SIZE_RATIO * input_bytes(task[0] for task in tasks)))
