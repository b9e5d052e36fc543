"""Subjects and camera views encoded in the datasets' sample names.

The probes' cross-validation leaves out one group at a time, the protocol's
unit: subjects for a cross-subject split, views for a cross-view one.
"""
import re

# (regex, subject group, view group) per naming scheme; views may be absent.
_SCHEMES = (
    # NTU RGB+D: SsssCcccPpppRrrrAaaa (camera, performer)
    (re.compile(r'S\d{3}C(\d{3})P(\d{3})R\d{3}A\d{3}'), 2, 1),
    # N-UCLA: aAA_sSS_eEE_vVV
    (re.compile(r'a\d+_s(\d+)_e\d+_v(\d+)'), 1, 2),
    # MSR Action3D: aAA_sSS_eEE (one view)
    (re.compile(r'a\d+_s(\d+)_e\d+'), 1, None),
)


def _match(frame_dir: str):
    for regex, subject, view in _SCHEMES:
        match = regex.fullmatch(frame_dir)
        if match:
            return match, subject, view
    raise ValueError(
        f'{frame_dir!r} follows none of the known sample names (NTU '
        'SsssCcccPpppRrrrAaaa, N-UCLA aAA_sSS_eEE_vVV, MSR Action3D '
        'aAA_sSS_eEE)')


def subject_of(frame_dir: str) -> int:
    """The subject (performer) of a sample: ``'a01_s03_e02'`` -> 3."""
    match, subject, _ = _match(frame_dir)
    return int(match[subject])


def view_of(frame_dir: str) -> int:
    """The camera view of a sample: ``'a01_s03_e00_v02'`` -> 2."""
    match, _, view = _match(frame_dir)
    if view is None:
        raise ValueError(f'{frame_dir!r}: this dataset has a single view')
    return int(match[view])
