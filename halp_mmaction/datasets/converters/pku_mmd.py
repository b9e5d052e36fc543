"""PKU-MMD phase II skeletons and labels -> MMAction2 skeleton pickle.

Inputs (as released by Liu et al., "PKU-MMD", 2017):

* skeleton folder: ``<video>.txt``, one line per frame of 150 numbers, two
  bodies x 25 Kinect-v2 joints (NTU joint order) x (x, y, z); the second body
  is zeros when only one person is tracked;
* label folder: ``<video>.txt``, one line ``label,start,end,confidence`` per
  action instance, ``label`` 1-based (51 classes, 41 used by phase II).
  ``start`` is 0-based and ``end`` exclusive: the instance is frames
  ``[start, end)`` of the skeleton file (the released labels start at 0, and
  the reference preprocessing scripts slice ``frames[start:end]``);
* split folder: ``cross_subject_v2.txt`` and ``cross_view_v2.txt``, each a
  line ``Training videos:`` then a comma-separated list of videos, a line
  ``Validataion videos:`` (sic) then another list.

One sample per labelled interval, ``frame_dir`` ``<video>_<k>`` with ``k`` the
interval's 1-based position in the label file (``A10N08-L_0003``), ``label``
``label - 1`` (0-50: the raw ids, not remapped to the 41 phase-II classes, so
heads keep ``num_classes=51`` as in AimCLR / CMD / HaLP), ``keypoint``
(M, T, 25, 3) float32 with the raw coordinates. A body that is all zeros over
the interval is dropped (M = 1), as single-person samples of MMAction2's NTU
pickles have M = 1. Splits: ``xsub_train/xsub_val`` from the cross-subject
file, ``xview_train/xview_val`` from the cross-view file; only videos named in
the split files are converted.
"""
import re
from pathlib import Path
from typing import Dict, List, Tuple

import numpy as np

from .base import (ConversionError, ConversionSummary, PathLike, Sample,
                   SkeletonParseError, Skip, TaskResult, handle_invalid)
from .parsing import parse_float_rows, read_text
from .runner import input_bytes, run_conversion

# The pickle's size as a share of the raw files' (measured on the real files,
# rounded down): checked against the free space before converting.
OUTPUT_SIZE_RATIO = 0.3

SPLIT_FILES = {'xsub': 'cross_subject_v2.txt', 'xview': 'cross_view_v2.txt'}
SPLITS = ('xsub_train', 'xsub_val', 'xview_train', 'xview_val')
NUM_CLASSES = 51
NUM_JOINTS = 25
NUM_BODIES = 2
_VALUES_PER_FRAME = NUM_BODIES * NUM_JOINTS * 3
_TRAIN = re.compile(r'training\s+videos\s*:', re.IGNORECASE)
_VAL = re.compile(r'validata?ion\s+videos\s*:', re.IGNORECASE)
_VIDEO = re.compile(r'[\w\-]+')


def read_split_file(path: PathLike) -> Tuple[List[str], List[str]]:
    """Read a PKU-MMD split file.

    Tolerates the official ``Validataion`` misspelling (and the correct
    one), any case, line breaks or no line breaks around the lists, commas
    with or without spaces, a trailing comma and ``.txt`` suffixes.

    Returns:
        tuple[list[str], list[str]]: Training and validation video names.
    """
    text = read_text(path)
    train, val = _TRAIN.search(text), _VAL.search(text)
    if train is None or val is None:
        raise SkeletonParseError(
            path, "expected a 'Training videos:' and a 'Validataion videos:' "
            'header')
    if val.start() < train.end():
        raise SkeletonParseError(
            path, 'the validation list comes before the training list',
            text.count('\n', 0, val.start()) + 1)
    lists = []
    for start, end in ((train.end(), val.start()), (val.end(), len(text))):
        names = []
        for token in re.split(r'[,\s]+', text[start:end]):
            if not token:
                continue
            token = token[:-4] if token.endswith('.txt') else token
            if not _VIDEO.fullmatch(token):
                line = text.count('\n', 0, text.index(token, start)) + 1
                raise SkeletonParseError(
                    path, f'not a video name: {token!r}', line)
            names.append(token)
        lists.append(names)
    both = set(lists[0]) & set(lists[1])
    if both:
        raise SkeletonParseError(
            path, f'{len(both)} videos both in training and validation, '
            f'e.g. {sorted(both)[0]}')
    return lists[0], lists[1]


def read_skeleton(path: PathLike) -> np.ndarray:
    """Read a phase-II skeleton file.

    Returns:
        np.ndarray: float32 (2, T, 25, 3), raw coordinates.
    """
    lines = read_text(path).splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines:
        raise SkeletonParseError(path, 'empty file: no frame', 1)
    values = parse_float_rows(path, lines, np.arange(1, len(lines) + 1),
                              _VALUES_PER_FRAME)
    return values.reshape(len(lines), NUM_BODIES, NUM_JOINTS,
                          3).transpose(1, 0, 2, 3).astype(np.float32)


def read_labels(path: PathLike) -> List[Tuple[int, int, int, int]]:
    """Read a label file.

    Returns:
        list[tuple[int, int, int, int]]: ``(label, start, end, line)`` per
        instance: the raw 1-based label, the frame range and the line number.
    """
    intervals = []
    for n, line in enumerate(read_text(path).splitlines(), 1):
        if not line.strip():
            continue
        fields = [f.strip() for f in line.split(',')]
        if fields and not fields[-1]:
            fields.pop()  # trailing comma
        try:
            if len(fields) not in (3, 4):
                raise ValueError
            label, start, end = (int(f) for f in fields[:3])
            if len(fields) == 4:
                float(fields[3])
        except ValueError:
            raise SkeletonParseError(
                path, f'expected label,start,end,confidence, found '
                f'{line.strip()[:60]!r}', n)
        if not 1 <= label <= NUM_CLASSES:
            raise SkeletonParseError(
                path, f'label {label} outside 1..{NUM_CLASSES}', n)
        if not 0 <= start < end:
            raise SkeletonParseError(
                path, f'bad interval [{start}, {end}): need 0 <= start < end',
                n)
        intervals.append((label, start, end, n))
    if not intervals:
        raise SkeletonParseError(path, 'no labelled interval')
    return intervals


def _convert_video(task: Tuple[str, str, str, Tuple[str, ...]]
                   ) -> TaskResult:
    video, skeleton_path, label_path, splits = task
    intervals = read_labels(label_path)
    skeleton = read_skeleton(skeleton_path)
    num_frames = skeleton.shape[1]
    result = TaskResult()
    for k, (label, start, end, line) in enumerate(intervals, 1):
        name = f'{video}_{k:04d}'
        if end > num_frames:
            result.errors.append(SkeletonParseError(
                label_path, f'{name}: interval [{start}, {end}) ends past '
                f'the skeleton ({num_frames} frames in {skeleton_path})',
                line))
            continue
        keypoint = skeleton[:, start:end]
        keypoint = keypoint[np.abs(keypoint).reshape(NUM_BODIES, -1).any(1)]
        if not len(keypoint):
            result.errors.append(SkeletonParseError(
                label_path, f'{name}: no body in frames [{start}, {end})',
                line))
            continue
        result.samples.append(Sample(
            dict(frame_dir=name, label=label - 1,
                 keypoint=np.ascontiguousarray(keypoint),
                 total_frames=end - start), splits))
    return result


def convert_pku_mmd(skeleton_dir: PathLike,
                    label_dir: PathLike,
                    split_dir: PathLike,
                    out: PathLike,
                    workers: int = 1,
                    skip_invalid: bool = False,
                    overwrite: bool = False,
                    progress: bool = True) -> ConversionSummary:
    """Convert PKU-MMD phase II.

    Args:
        skeleton_dir (str | PathLike): Folder of ``<video>.txt`` skeletons.
        label_dir (str | PathLike): Folder of ``<video>.txt`` labels.
        split_dir (str | PathLike): Folder with ``cross_subject_v2.txt`` and
            ``cross_view_v2.txt``.
        out (str | PathLike): Output pickle.
        workers (int): Worker processes. Defaults to 1.
        skip_invalid (bool): Skip invalid videos / intervals instead of
            stopping.
        overwrite (bool): Replace an existing ``out``.
        progress (bool): Show a progress bar.

    Returns:
        ConversionSummary: What was written and skipped.
    """
    dirs = dict(skeleton=Path(skeleton_dir), label=Path(label_dir),
                split=Path(split_dir))
    for what, folder in dirs.items():
        if not folder.is_dir():
            raise ConversionError(f'{what} dir {folder} is not a directory')
    splits: Dict[str, List[str]] = {}
    for protocol, filename in SPLIT_FILES.items():
        path = dirs['split'] / filename
        if not path.is_file():
            raise ConversionError(f'split file {path} not found')
        for part, videos in zip(('train', 'val'), read_split_file(path)):
            for video in videos:
                splits.setdefault(video, []).append(f'{protocol}_{part}')

    tasks, skipped = [], []
    for video in sorted(splits):
        paths = [dirs[what] / f'{video}.txt' for what in ('skeleton', 'label')]
        absent = [p for p in paths if not p.is_file()]
        if absent:
            skipped.append(handle_invalid(SkeletonParseError(
                absent[0], f'{video} is in the split files but this file '
                'does not exist'), skip_invalid))
            continue
        tasks.append((video, str(paths[0]), str(paths[1]),
                      tuple(splits[video])))
    unlisted = sorted(p.stem for p in dirs['skeleton'].glob('*.txt')
                      if p.stem not in splits)
    skipped += [Skip(str(dirs['skeleton'] / f'{video}.txt'),
                     'not in any split file') for video in unlisted]
    return run_conversion(
        tasks, _convert_video, out, SPLITS, workers=workers,
        skip_invalid=skip_invalid, overwrite=overwrite, progress=progress,
        skipped=skipped, expected_bytes=int(
            OUTPUT_SIZE_RATIO * input_bytes(task[1] for task in tasks)))
