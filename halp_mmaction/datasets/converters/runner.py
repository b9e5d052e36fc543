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
import sys
import tempfile
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


def atomic_write(out: PathLike, write: Callable) -> None:
    """Write a file through ``write(fileobj)`` all at once or not at all.

    The data goes to a temporary file in the same folder, which replaces
    ``out`` only once it is complete and synced; on any error (including
    KeyboardInterrupt) the temporary file is removed and ``out`` is left as
    it was.
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(
        prefix=f'.{out.name}.', suffix='.tmp', dir=out.parent)
    try:
        with os.fdopen(fd, 'wb') as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600
        os.replace(tmp, out)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
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
                   notes: Sequence[str] = ()) -> ConversionSummary:
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

    Returns:
        ConversionSummary: What was written and skipped.
    """
    out = check_output(out, overwrite)
    if workers < 1:
        raise ConversionError(f'--workers must be >= 1, got {workers}')
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
    if not annotations:
        raise ConversionError(
            f'no valid sample found ({len(skipped)} skipped); nothing written')

    data = dict(split=split, annotations=annotations)
    check_output(out, overwrite)
    atomic_write(
        out,
        partial(pickle.dump, data, protocol=pickle.HIGHEST_PROTOCOL))
    listing = ''.join(f'{s.name}\t{s.reason}\n' for s in skipped)
    atomic_write(skipped_path(out),
                 lambda f: f.write(listing.encode('utf-8')))
    return ConversionSummary(
        out=out,
        split_sizes={name: len(names) for name, names in split.items()},
        num_samples=len(annotations),
        skipped=skipped,
        notes=list(notes))
