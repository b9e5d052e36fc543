"""Raw skeleton datasets -> MMAction2's skeleton pickle (``PoseDataset``).

One module per format (NTU RGB+D 60/120, PKU-MMD II, the preprocessed
``.npy`` sets of HaLP/CMD/AimCLR, MSR Action3D, N-UCLA) over the shared machinery of
:mod:`.base` (errors, samples, summary), :mod:`.parsing` (raw text) and
:mod:`.runner` (pool, progress, atomic write). The command lines are
``tools/data/<dataset>/convert.py``.
"""
from .base import ConversionError, ConversionSummary, SkeletonParseError
from .msr_action3d import convert_msr_action3d
from .ntu import convert_ntu
from .nw_ucla import convert_nw_ucla
from .official_npy import convert_official_npy
from .pku_mmd import convert_pku_mmd
from .runner import run_conversion

__all__ = [
    'ConversionError', 'ConversionSummary', 'SkeletonParseError',
    'run_conversion', 'convert_ntu', 'convert_pku_mmd',
    'convert_official_npy', 'convert_msr_action3d', 'convert_nw_ucla'
]
