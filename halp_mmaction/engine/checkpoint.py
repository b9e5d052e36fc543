"""Reading checkpoint files: what to say when one cannot be read."""
import glob
import os.path as osp
import re
from typing import List


class CheckpointError(RuntimeError):
    """A checkpoint file is missing, truncated or not a checkpoint at all.

    Args:
        path (str): The file.
        msg (str): What is wrong, in one line, naming the file.
    """

    def __init__(self, path: str, msg: str) -> None:
        super().__init__(path, msg)
        self.path = path

    def __str__(self) -> str:
        return self.args[1]


class CheckpointMismatchError(CheckpointError, KeyError):
    """A checkpoint's weights do not fit the model that is to load them
    (missing or unexpected keys, other shapes). Also a ``KeyError``."""


def load_from_local(filename, map_location=None):
    """mmengine's local-file checkpoint loader, with two changes.

    * ``torch.load(weights_only=False)``: mmengine 0.10.7 checkpoints hold
      message-hub and numpy objects, which torch >= 2.6's default refuses
      (see :mod:`halp_mmaction.compat`). Only load checkpoints you trust.
    * A file that cannot be read (empty, truncated by an interrupted save,
      not a PyTorch file) raises :class:`CheckpointError` naming it, instead
      of the unpickler's or the zip reader's own error.

    The name keeps mmengine's ``load_from_`` prefix: mmengine logs the
    loader's name past it ("Loads checkpoint by local backend").
    """
    import torch
    if not osp.isfile(filename):
        raise CheckpointError(filename,
                              f'checkpoint {filename} does not exist')
    try:
        return torch.load(filename, map_location=map_location,
                          weights_only=False)
    except Exception as err:  # any reason: the file is no checkpoint
        # The first sentence of the reader's message is enough.
        reason = ' '.join(str(err).split()).split('. ')[0][:120]
        raise CheckpointError(
            filename, f'checkpoint {filename} cannot be read '
            f'({osp.getsize(filename)} bytes; {type(err).__name__}: '
            f'{reason}): it is truncated (an interrupted save?), empty or '
            'not a PyTorch checkpoint.') from err


def other_checkpoints(work_dir: str, bad: str) -> List[str]:
    """The work dir's ``epoch_*.pth`` / ``iter_*.pth`` other than ``bad``,
    newest (highest count) first: what ``--resume PATH`` could take."""
    found = []
    for path in glob.glob(osp.join(work_dir, '*.pth')):
        match = re.fullmatch(r'(?:epoch|iter)_(\d+)\.pth', osp.basename(path))
        if match and osp.abspath(path) != osp.abspath(bad):
            found.append((int(match[1]), path))
    return [path for _, path in sorted(found, reverse=True)]


def resume_hint(work_dir: str, bad: str) -> str:
    """What to do when ``--resume`` met an unreadable checkpoint."""
    older = other_checkpoints(work_dir, bad)
    if not older:
        return (' No other checkpoint is in the work dir: start again '
                'without --resume.')
    listed = ', '.join(older[:3]) + (', ...' if len(older) > 3 else '')
    return f' Resume from an older one instead: --resume {older[0]} ' \
        f'(found: {listed}).'


def exit_on_checkpoint_error(main, *args, hint=None):
    """Run a tool's ``main``; a :class:`CheckpointError` ends the process
    with one line (``error: ...``, exit status 1) instead of a traceback.

    Args:
        main (Callable): The tool's main function.
        *args: Its arguments.
        hint (Callable, optional): ``hint(err) -> str`` appended to the line.
    """
    try:
        return main(*args)
    except CheckpointError as err:
        extra = hint(err) if hint is not None else ''
        raise SystemExit(f'error: {err}{extra}') from None
