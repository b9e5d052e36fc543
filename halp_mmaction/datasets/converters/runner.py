"""Running a conversion: the machinery every format shares.

Every converter writes MMAction2's skeleton pickle, the file that
:class:`mmaction.datasets.PoseDataset` loads::

    dict(split=dict(xsub_train=['S001C001P001R001A001', ...], ...),
         annotations=[dict(frame_dir=str, label=int,
                           keypoint=np.float32 array (M, T, V, C),
                           total_frames=int), ...])

A format module only describes its format: a list of picklable tasks
(usually one per raw file) and a module-level function turning one task into
a :class:`TaskResult`. :func:`run_conversion` does the rest the same way for
every dataset: worker pool, progress bar, the skip-invalid policy, a summary,
the ``<out>.skipped.txt`` side file and an atomic write (a temporary file in
the output folder, then ``os.replace``), so a failed or interrupted run never
leaves a partial pickle behind.
"""
import multiprocessing
import os
import pickle
import shutil
import sys
import tempfile
from collections import Counter
from functools import partial
from pathlib import Path
from typing import Callable, Iterable, Sequence

from mmengine.utils import ProgressBar

from .base import (ConversionError, ConversionSummary, PathLike, Skip,
                   SkeletonParseError, TaskResult, handle_invalid,
                   skipped_path)


def check_output(out: PathLike, overwrite: bool) -> Path:
    """Refuse to clobber an existing output unless asked to."""
    out = Path(out)
    if out.is_dir():
        raise ConversionError(f'output {out} is a directory')
    if out.exists() and not overwrite:
        raise ConversionError(
            f'output {out} exists; pass --overwrite to replace it')
    return out


def check_output_folder(out: PathLike, expected_bytes: int = 0) -> None:
    """Before any work: the output's folder must be writable and have room.

    The folder need not exist yet (it is created when the output is
    written): its nearest existing ancestor is probed by creating and
    removing a temporary file, which catches read-only file systems and
    permissions (``os.access`` would not, for root).

    Args:
        out (str | PathLike): The output file.
        expected_bytes (int): About how large the output will be.

    Raises:
        ConversionError: the folder is not writable or has less free space
            than ``expected_bytes``.
    """
    folder = Path(out).resolve().parent
    probe = folder
    while not probe.exists():
        probe = probe.parent
    if not probe.is_dir():
        raise ConversionError(f'cannot write {out}: {probe} is not a '
                              'directory')
    try:
        fd, tmp = tempfile.mkstemp(prefix='.write-test-', dir=probe)
        os.close(fd)
        os.unlink(tmp)
    except OSError as err:
        raise ConversionError(f'cannot write to {probe} (for {out}): '
                              f'{err.strerror or err}') from None
    free = shutil.disk_usage(probe).free
    if expected_bytes > free:
        raise ConversionError(
            f'not enough room for {out}: the output needs about '
            f'{_mib(expected_bytes)} and {probe} has {_mib(free)} free')


def _mib(num_bytes: int) -> str:
    return f'{num_bytes / 2**20:,.1f} MiB'


def input_bytes(paths: Iterable[PathLike]) -> int:
    """Total size of the input files (for the output size estimate)."""
    return sum(os.path.getsize(p) for p in paths)


def atomic_write(out: PathLike, write: Callable) -> None:
    """Write a file through ``write(fileobj)`` all at once or not at all.

    The data goes to a temporary file in the same folder, which replaces
    ``out`` only once it is complete and synced; on any error (including
    KeyboardInterrupt) the temporary file is removed and ``out`` is left as
    it was.
    """
    out = Path(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(
            prefix=f'.{out.name}.', suffix='.tmp', dir=out.parent)
    except OSError as err:
        raise ConversionError(
            f'cannot write {out}: {err.strerror or err}') from None
    try:
        with os.fdopen(fd, 'wb') as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600
        os.replace(tmp, out)
    except BaseException as err:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(err, OSError):  # e.g. the disk filled up
            raise ConversionError(f'cannot write {out}: '
                                  f'{err.strerror or err}; nothing was '
                                  'written') from None
        raise


def _run_task(convert_fn: Callable, task) -> TaskResult:
    try:
        return convert_fn(task)
    except SkeletonParseError as err:
        return TaskResult(errors=[err])


def _results(convert_fn: Callable, tasks: Sequence, workers: int
             ) -> Iterable[TaskResult]:
    run = partial(_run_task, convert_fn)
    if workers <= 1 or len(tasks) <= 1:
        yield from map(run, tasks)
        return
    chunksize = max(1, len(tasks) // (workers * 16))
    # Leaving the block (an error, Ctrl-C) terminates the workers.
    with multiprocessing.Pool(min(workers, len(tasks))) as pool:
        yield from pool.imap(run, tasks, chunksize=chunksize)


def run_conversion(tasks: Sequence,
                   convert_fn: Callable[..., TaskResult],
                   out: PathLike,
                   split_names: Sequence[str],
                   workers: int = 1,
                   skip_invalid: bool = False,
                   overwrite: bool = False,
                   progress: bool = True,
                   skipped: Sequence[Skip] = (),
                   notes: Sequence[str] = (),
                   expected_bytes: int = 0) -> ConversionSummary:
    """Run ``convert_fn`` over ``tasks`` and write the skeleton pickle.

    Args:
        tasks (Sequence): Picklable tasks, converted in order; the output
            order does not depend on ``workers``.
        convert_fn (Callable): A module-level function, task -> TaskResult.
            It may raise :class:`SkeletonParseError`.
        out (str | PathLike): The pickle to write.
        split_names (Sequence[str]): Every split of the output, in order
            (present even when empty).
        workers (int): Worker processes; 1 converts in this process.
            Defaults to 1.
        skip_invalid (bool): Skip invalid input instead of stopping.
            Defaults to False.
        overwrite (bool): Replace an existing ``out``. Defaults to False.
        progress (bool): Show a progress bar on stderr. Defaults to True.
        skipped (Sequence[Skip]): Skips the caller found before dispatch.
        notes (Sequence[str]): Extra lines for the summary.
        expected_bytes (int): About how large the pickle will be; checked
            against the free space before any work (with the folder's
            writability, :func:`check_output_folder`).

    Returns:
        ConversionSummary: What was written and skipped.
    """
    out = check_output(out, overwrite)
    if workers < 1:
        raise ConversionError(f'--workers must be >= 1, got {workers}')
    check_output_folder(out, expected_bytes)
    split = {name: [] for name in split_names}
    annotations, skipped, seen = [], list(skipped), set()
    bar = ProgressBar(len(tasks), file=sys.stderr) \
        if progress and tasks else None
    results = _results(convert_fn, tasks, workers)
    try:
        for result in results:
            for err in result.errors:
                skipped.append(handle_invalid(err, skip_invalid))
            skipped.extend(result.skipped)
            for sample in result.samples:
                name = sample.annotation['frame_dir']
                if name in seen:
                    raise ConversionError(f'two samples are named {name!r}')
                seen.add(name)
                annotations.append(sample.annotation)
                for split_name in sample.splits:
                    split[split_name].append(name)
            if bar is not None:
                bar.update()
    finally:
        results.close()  # stops the workers now, not when GC gets to it
        if bar is not None:
            sys.stderr.write('\n')  # end the bar's line, error or not
    listing = ''.join(f'{s.name}\t{s.reason}\n' for s in skipped)
    if not annotations:
        if skipped:
            atomic_write(skipped_path(out),
                         lambda f: f.write(listing.encode('utf-8')))
        reasons = '; '.join(
            f'{n} x {reason}' for reason, n in Counter(
                s.reason for s in skipped).most_common(3))
        where = f' (every one listed in {skipped_path(out)})' \
            if skipped else ''
        raise ConversionError(
            f'no valid sample found, nothing written: {len(tasks)} '
            f'file(s) or chunk(s) read, {len(skipped)} skipped{where}'
            + (f': {reasons}' if reasons else ''))

    data = dict(split=split, annotations=annotations)
    check_output(out, overwrite)
    atomic_write(
        out,
        partial(pickle.dump, data, protocol=pickle.HIGHEST_PROTOCOL))
    atomic_write(skipped_path(out),
                 lambda f: f.write(listing.encode('utf-8')))
    return ConversionSummary(
        out=out,
        split_sizes={name: len(names) for name, names in split.items()},
        num_samples=len(annotations),
        skipped=skipped,
        notes=list(notes))


def convert_folder(data_root: PathLike, suffix: str,
                   parse_name: Callable[[PathLike], object],
                   convert_fn: Callable[..., TaskResult], out: PathLike,
                   split_names: Sequence[str], size_ratio: float,
                   **kwargs) -> ConversionSummary:
    """:func:`run_conversion` for a folder of one file per sample (MSR
    Action3D, N-UCLA): every file whose name ends with ``suffix`` is a task,
    its name checked first by ``parse_name`` (which raises
    :class:`SkeletonParseError`); other files are left out and named in the
    summary.

    Args:
        data_root (str | PathLike): The folder.
        suffix (str): How the data files' names end.
        parse_name (Callable): Checks a file's name.
        convert_fn (Callable): Converts one file (its path as a str).
        out (str | PathLike): The pickle to write.
        split_names (Sequence[str]): The output's splits.
        size_ratio (float): The pickle's size per byte of input.
        **kwargs: ``workers``, ``skip_invalid``, ``overwrite``,
            ``progress``, as :func:`run_conversion`.
    """
    root = Path(data_root)
    if not root.is_dir():
        raise ConversionError(f'data root {root} is not a directory')
    files = sorted(p for p in root.iterdir() if p.is_file())
    paths = [p for p in files if p.name.endswith(suffix)]
    if not paths:
        raise ConversionError(f'no *{suffix} file in {root}')
    tasks, skipped = [], []
    for path in paths:
        try:
            parse_name(path)
            tasks.append(str(path))
        except SkeletonParseError as err:
            skipped.append(handle_invalid(err, kwargs.get('skip_invalid',
                                                          False)))
    others = [p.name for p in files if not p.name.endswith(suffix)]
    notes = [f'left out {len(others)} other file(s) in {root}: '
             + ', '.join(others[:5]) + (', ...' if len(others) > 5 else '')
             ] if others else []
    return run_conversion(
        tasks, convert_fn, out, split_names, skipped=skipped, notes=notes,
        expected_bytes=int(size_ratio * input_bytes(tasks)), **kwargs)
