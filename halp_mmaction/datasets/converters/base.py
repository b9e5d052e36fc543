"""Data types shared by the converters: errors, samples, skips, summary.

Two kinds of samples are not written, and both are listed in the summary and
the ``<out>.skipped.txt`` side file, never dropped silently:

* excluded by the dataset's protocol (the official missing-skeleton list,
  an NTU-120 file when converting NTU-60, ...): always skipped;
* invalid (malformed file, NaN coordinates, an interval past the end, ...):
  a :class:`SkeletonParseError` that stops the conversion, unless
  ``skip_invalid=True``, which skips the file and goes on.
"""
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Tuple, Union

PathLike = Union[str, os.PathLike]


class ConversionError(Exception):
    """A conversion cannot go on: bad arguments, an existing output, a
    missing folder or an invalid raw file."""


class SkeletonParseError(ConversionError):
    """A raw file is malformed or holds invalid data.

    Args:
        path (str | PathLike): The offending file.
        msg (str): What is wrong, in one line.
        line (int, optional): 1-based line number in ``path``; None when the
            problem concerns the whole file. Defaults to None.
    """

    skippable = False

    def __init__(self, path: PathLike, msg: str,
                 line: Optional[int] = None) -> None:
        self.path = str(path)
        self.msg = msg
        self.line = line
        super().__init__(self.path, msg, line)

    def __reduce__(self):
        # Travels back from worker processes intact.
        return type(self), (self.path, self.msg, self.line)

    @property
    def where(self) -> str:
        return self.path if self.line is None else \
            f'{self.path}, line {self.line}'

    def __str__(self) -> str:
        return f'{self.where}: {self.msg}'


@dataclass
class Sample:
    """One annotation for the pickle and the splits it belongs to."""
    annotation: dict
    splits: Tuple[str, ...]


@dataclass
class Skip:
    """A file or sample that is not written, and why.

    ``invalid`` is True for bad data (skipped only under ``skip_invalid``),
    False for exclusions by the dataset's protocol.
    """
    name: str
    reason: str
    invalid: bool = False

    @classmethod
    def from_error(cls, err: SkeletonParseError) -> 'Skip':
        reason = err.msg if err.line is None else \
            f'line {err.line}: {err.msg}'
        return cls(err.path, reason, invalid=True)


@dataclass
class TaskResult:
    """What a task yields: samples, protocol exclusions and invalid parts
    (e.g. one bad label interval among good ones)."""
    samples: List[Sample] = field(default_factory=list)
    skipped: List[Skip] = field(default_factory=list)
    errors: List[SkeletonParseError] = field(default_factory=list)


def handle_invalid(err: SkeletonParseError, skip_invalid: bool) -> Skip:
    """Raise ``err`` unless invalid input is to be skipped.

    Every error that comes through here could have been skipped, so it is
    marked ``skippable`` (the command line then suggests --skip-invalid);
    errors raised elsewhere (a broken split or label file) are not.
    """
    if not skip_invalid:
        err.skippable = True
        raise err
    return Skip.from_error(err)


@dataclass
class ConversionSummary:
    """What a conversion wrote and skipped."""
    out: Path
    split_sizes: Dict[str, int]
    num_samples: int
    skipped: List[Skip]
    notes: List[str] = field(default_factory=list)

    @property
    def skipped_file(self) -> Path:
        return skipped_path(self.out)

    def format(self, max_listed: int = 10) -> str:
        lines = [f'Wrote {self.num_samples} samples to {self.out}']
        lines += [f'  {name}: {n}' for name, n in self.split_sizes.items()]
        lines += [f'Note: {note}' for note in self.notes]
        if not self.skipped:
            lines.append('Skipped nothing')
            return '\n'.join(lines)
        lines.append(f'Skipped {len(self.skipped)} '
                     f'(every one listed in {self.skipped_file})')
        excluded = Counter(s.reason for s in self.skipped if not s.invalid)
        for reason, n in excluded.most_common():
            lines.append(f'  {n} x {reason}')
        invalid = [s for s in self.skipped if s.invalid]
        if invalid:
            lines.append(f'  {len(invalid)} invalid:')
            lines += [f'    {s.name}: {s.reason}'
                      for s in invalid[:max_listed]]
            if len(invalid) > max_listed:
                lines.append(f'    ... and {len(invalid) - max_listed} more')
        return '\n'.join(lines)


def skipped_path(out: PathLike) -> Path:
    """The side file listing what a conversion to ``out`` skipped."""
    out = Path(out)
    return out.with_name(out.name + '.skipped.txt')
