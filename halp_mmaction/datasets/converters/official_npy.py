"""Preprocessed ``.npy`` sets of HaLP / CMD / AimCLR -> skeleton pickle.

Those repositories (after 2s-AGCN's ``ntu_gendata.py``) ship one folder per
benchmark, e.g. ``NTU-RGB-D-60-AGCN/xsub/``, holding per part (``train``,
``val``):

* ``<part>_data_joint.npy``: float32 (N, 3, T, 25, 2), zero-padded to T
  (300 for NTU), already pre-normalised (centred on the spine, rotated);
* ``<part>_num_frame.npy``: (N,) valid frames per sample;
* ``<part>_label.pkl``: a pickle of ``(sample_names, labels)``, labels
  0-based.

The arrays must be numeric, with V = 25 joints (the NTU layout) and at most
M = 2 persons; labels must lie in ``0 .. num_classes - 1`` (120 by default,
the largest of these sets; pass 60 for NTU-60, 51 for PKU-MMD II).

Each sample becomes an annotation with ``frame_dir`` the sample name without
its ``.skeleton`` / ``.txt`` / ``.npy`` suffix, ``label`` as given,
``keypoint`` cut to ``num_frame`` and transposed to (M, T, V, C), with an
all-zero second person dropped (M = 1, as in MMAction2's NTU pickles), and
splits ``<split_name>_train`` / ``<split_name>_val``. The arrays are
memory-mapped, so a 7 GB ``train_data_joint.npy`` is read sample by sample.

The label pickles are unpickled: only convert files you trust.
"""
import pickle
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from .base import (ConversionError, ConversionSummary, PathLike, Sample,
                   SkeletonParseError, TaskResult)
from .runner import run_conversion

PARTS = ('train', 'val')
NUM_JOINTS, MAX_PERSONS, DEFAULT_NUM_CLASSES = 25, 2, 120
# The pickle keeps only the valid frames of the zero-padded arrays.
OUTPUT_SIZE_RATIO = 0.25
KNOWN_SPLIT_NAMES = {'xsub': 'xsub', 'xview': 'xview', 'xset': 'xset',
                     'xsetup': 'xset'}
_NAME_SUFFIXES = ('.skeleton', '.txt', '.npy')
_CHUNK = 256
_memmaps: Dict[str, np.ndarray] = {}


def part_files(data_dir: PathLike, part: str) -> Tuple[Path, Path, Path]:
    """The data, num-frame and label files of one part."""
    data_dir = Path(data_dir)
    return (data_dir / f'{part}_data_joint.npy',
            data_dir / f'{part}_num_frame.npy', data_dir / f'{part}_label.pkl')


def default_split_name(data_dir: PathLike) -> Optional[str]:
    """``xsub`` / ``xview`` / ``xset`` from the folder name, else None."""
    return KNOWN_SPLIT_NAMES.get(Path(data_dir).resolve().name.lower())


def _load_npy(path: Path, mmap: bool) -> np.ndarray:
    try:
        return np.load(path, mmap_mode='r' if mmap else None,
                       allow_pickle=False)
    except (OSError, ValueError) as err:
        raise ConversionError(f'{path}: not a readable .npy file: {err}') \
            from None


def read_labels(path: Path) -> Tuple[List[str], List[int]]:
    """Read ``(sample_names, labels)`` from a label pickle."""
    try:
        with open(path, 'rb') as f:
            names, labels = pickle.load(f)
        names = [str(n) for n in names]
        labels = [int(x) for x in labels]
    except Exception as err:  # unpickling can raise anything, e.g. a
        # ModuleNotFoundError for a class this environment lacks
        raise ConversionError(
            f'{path}: expected a pickle of (sample_names, labels) '
            f'({type(err).__name__}: {err})') from None
    if len(names) != len(labels):
        raise ConversionError(f'{path}: {len(names)} names but '
                              f'{len(labels)} labels')
    return names, labels


def check_data_array(path: Path, data: np.ndarray) -> None:
    """The whole ``<part>_data_joint.npy``: numeric (N, 3, T, 25, M<=2)."""
    if not (np.issubdtype(data.dtype, np.floating)
            or np.issubdtype(data.dtype, np.integer)):
        raise ConversionError(f'{path}: dtype {data.dtype} is not numeric')
    if data.ndim != 5 or data.shape[1] != 3:
        raise ConversionError(
            f'{path}: shape {data.shape}, expected (N, 3, T, V, M)')
    n, _, t, v, m = data.shape
    if n == 0 or t == 0:
        raise ConversionError(f'{path}: shape {data.shape} holds no sample')
    if v != NUM_JOINTS:
        raise ConversionError(
            f'{path}: {v} joints per frame (shape {data.shape}); the NTU '
            f'layout of these sets has {NUM_JOINTS}')
    if not 1 <= m <= MAX_PERSONS:
        raise ConversionError(
            f'{path}: {m} persons (shape {data.shape}); these sets hold at '
            f'most {MAX_PERSONS}')


def _strip_suffix(name: str) -> str:
    for suffix in _NAME_SUFFIXES:
        if name.endswith(suffix):
            return name[:-len(suffix)]
    return name


def _convert_chunk(task) -> TaskResult:
    data_path, start, num_frames, names, labels, split, num_classes = task
    if data_path not in _memmaps:  # once per worker process
        _memmaps[data_path] = _load_npy(Path(data_path), mmap=True)
    data = _memmaps[data_path]
    result = TaskResult()
    for i, (t, name, label) in enumerate(zip(num_frames, names, labels),
                                         start):
        where = f'sample {i} ({name})'
        if not 0 <= label < num_classes:
            result.errors.append(SkeletonParseError(
                data_path, f'{where}: label {label} outside 0..'
                f'{num_classes - 1} (pass --num-classes for another '
                'dataset)'))
            continue
        if not 0 < t <= data.shape[2]:
            result.errors.append(SkeletonParseError(
                data_path, f'{where}: num_frame {t} outside 1..'
                f'{data.shape[2]}'))
            continue
        # (C, T, V, M) -> (M, T, V, C)
        keypoint = np.asarray(data[i, :, :t], np.float32).transpose(3, 1, 2, 0)
        if not np.isfinite(keypoint).all():
            result.errors.append(SkeletonParseError(
                data_path, f'{where}: non-finite coordinates'))
            continue
        keep = np.abs(keypoint).reshape(len(keypoint), -1).any(1)
        if not keep[0]:
            result.errors.append(SkeletonParseError(
                data_path, f'{where}: the first person is all zeros'))
            continue
        result.samples.append(Sample(
            dict(frame_dir=name, label=label,
                 keypoint=np.ascontiguousarray(keypoint[keep]),
                 total_frames=int(t)), (split,)))
    return result


def convert_official_npy(data_dir: PathLike,
                         out: PathLike,
                         split_name: Optional[str] = None,
                         parts: Sequence[str] = PARTS,
                         num_classes: int = DEFAULT_NUM_CLASSES,
                         workers: int = 1,
                         skip_invalid: bool = False,
                         overwrite: bool = False,
                         progress: bool = True) -> ConversionSummary:
    """Convert a preprocessed ``.npy`` folder.

    Args:
        data_dir (str | PathLike): Folder with the ``<part>_*`` files.
        out (str | PathLike): Output pickle.
        split_name (str, optional): Prefix of the split names. Defaults to
            the folder name when it is ``xsub``, ``xview``, ``xset`` or
            ``xsetup`` (written ``xset``, MMAction2's name), else ``xsub``.
        parts (Sequence[str]): Parts to convert. Defaults to
            ``('train', 'val')``.
        num_classes (int): Labels must be below it. Defaults to 120.
        workers (int): Worker processes. Defaults to 1.
        skip_invalid (bool): Skip invalid samples instead of stopping.
        overwrite (bool): Replace an existing ``out``.
        progress (bool): Show a progress bar.

    Returns:
        ConversionSummary: What was written and skipped.
    """
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise ConversionError(f'data dir {data_dir} is not a directory')
    notes = []
    if split_name is None:
        split_name = default_split_name(data_dir)
        if split_name is None:
            split_name = 'xsub'
            notes.append(f"split names 'xsub_*' (folder {data_dir.name!r} "
                         'names no benchmark; pass --split-name to change)')
    if not isinstance(num_classes, int) or num_classes < 1:
        raise ConversionError(f'--num-classes must be >= 1, got '
                              f'{num_classes!r}')
    tasks, expected_bytes = [], 0
    for part in parts:
        data_path, frames_path, label_path = part_files(data_dir, part)
        for path in (data_path, frames_path, label_path):
            if not path.is_file():
                raise ConversionError(f'{path} not found')
        data = _load_npy(data_path, mmap=True)
        num_frames = _load_npy(frames_path, mmap=False)
        names, labels = read_labels(label_path)
        check_data_array(data_path, data)
        if not len(data) == len(num_frames) == len(names):
            raise ConversionError(
                f'{data_path}: {len(data)} samples, but {len(num_frames)} '
                f'in {frames_path.name} and {len(names)} in '
                f'{label_path.name}')
        expected_bytes += int(OUTPUT_SIZE_RATIO * data.nbytes)
        names = [_strip_suffix(n) for n in names]
        num_frames = [int(t) for t in num_frames]
        for start in range(0, len(data), _CHUNK):
            stop = start + _CHUNK
            tasks.append((str(data_path), start, num_frames[start:stop],
                          names[start:stop], labels[start:stop],
                          f'{split_name}_{part}', num_classes))
    try:
        return run_conversion(
            tasks, _convert_chunk, out,
            [f'{split_name}_{part}' for part in parts], workers=workers,
            skip_invalid=skip_invalid, overwrite=overwrite,
            progress=progress, notes=notes, expected_bytes=expected_bytes)
    finally:
        _memmaps.clear()  # a later run may find new files at these paths
