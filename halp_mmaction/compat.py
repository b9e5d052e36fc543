"""Workarounds for the released OpenMMLab stack, in one place.

Importing :mod:`halp_mmaction` calls :func:`apply` once, before anything from
``mmaction.models`` is imported. Each fix names its upstream cause and is a
no-op where the cause is absent, so a fixed upstream release needs no change
here. Nothing in site-packages is edited.

1. ``mmaction2==1.2.0`` on PyPI ships without ``mmaction/models/localizers/drn``
   (open-mmlab/mmaction2#2714) while ``localizers/__init__.py`` imports it, so
   ``import mmaction.models`` and ``register_all_modules()`` fail. We register a
   stand-in ``mmaction.models.localizers.drn.drn`` module whose ``DRN`` raises
   a clear error if anyone builds it. Skeleton models never use DRN.
2. NumPy 2 removed ``np.Inf``, ``np.trapz`` and ``np.in1d``, which mmaction2
   1.2.0 still calls (pose transforms, metrics). We alias them to their
   NumPy 2 names.
3. torch >= 2.6 defaults ``torch.load(weights_only=True)``. mmengine 0.10.7
   checkpoints hold message-hub and numpy objects, so ``--resume`` and
   ``load_from`` fail on them. We re-register mmengine's local-file checkpoint
   scheme with :func:`halp_mmaction.engine.checkpoint.load_from_local`, which
   loads with ``weights_only=False`` (and names a file it cannot read). Only
   load checkpoints you trust: the same trust mmengine assumed before torch
   2.6.
4. Known-harmless notices printed on every start are silenced, each for its
   reason (:data:`HARMLESS_WARNINGS`, :data:`FILE_CLIENT_NOTICES`); every
   other warning is kept.
"""
import importlib.util
import os.path as osp
import sys
import types
import warnings

import numpy as np

_applied = False


def _stub_missing_drn() -> None:
    spec = importlib.util.find_spec('mmaction')
    if spec is None or not spec.submodule_search_locations:
        return
    pkg_dir = list(spec.submodule_search_locations)[0]
    if osp.isdir(osp.join(pkg_dir, 'models', 'localizers', 'drn')):
        return  # a fixed wheel or a source checkout: nothing to do
    if 'mmaction.models.localizers.drn.drn' in sys.modules:
        return

    class DRN:  # noqa: D401 - placeholder with the upstream name
        """Stand-in for mmaction2's DRN, absent from the PyPI wheel."""

        def __init__(self, *args, **kwargs):
            raise ImportError(
                'mmaction2 1.2.0 from PyPI lacks mmaction/models/localizers/'
                'drn (open-mmlab/mmaction2#2714); install mmaction2 from '
                'source to use DRN.')

    pkg = types.ModuleType('mmaction.models.localizers.drn')
    pkg.__path__ = []  # a package, so `from .drn.drn import DRN` resolves
    mod = types.ModuleType('mmaction.models.localizers.drn.drn')
    mod.DRN = DRN
    pkg.drn = mod
    sys.modules[pkg.__name__] = pkg
    sys.modules[mod.__name__] = mod


def _alias_numpy2_removals() -> None:
    aliases = {
        'Inf': lambda: np.inf,
        'trapz': lambda: np.trapezoid,
        'in1d': lambda: np.isin,
    }
    for name, target in aliases.items():
        if name not in np.__dict__:
            setattr(np, name, target())


# (message regex, category, why it is harmless here)
HARMLESS_WARNINGS = (
    # mmcv-lite has no compiled ops; skeleton models use none of them. The
    # notice tells users to install full mmcv, which this project avoids.
    (r'Fail to import ``MultiScaleDeformableAttention``', UserWarning,
     'mmcv-lite lacks compiled ops, which skeleton models never use'),
    # mmengine resolves `mmaction::` config bases through pkg_resources; the
    # constraints pin setuptools < 81, where it still exists.
    (r'pkg_resources is deprecated as an API', UserWarning,
     'mmengine needs pkg_resources; setuptools is pinned below 81'),
)
# mmengine's own CheckpointHook creates a FileClient in every run "to avoid
# breaking backward compatibility" (mmengine 0.10.7, checkpoint_hook.py) and
# the client logs that it is deprecated: log lines, not warnings, so they are
# dropped from that module's print_log.
FILE_CLIENT_NOTICES = ('"FileClient" will be deprecated',
                       '"HardDiskBackend" is the alias of "LocalBackend"')


def _silence_harmless_warnings() -> None:
    for message, category, _why in HARMLESS_WARNINGS:
        warnings.filterwarnings('ignore', message=message, category=category)


def _drop_file_client_notices() -> None:
    from mmengine.fileio import file_client

    original = file_client.print_log
    if getattr(original, 'drops_file_client_notices', False):
        return

    def print_log(msg, *args, **kwargs):
        if isinstance(msg, str) and msg.startswith(FILE_CLIENT_NOTICES):
            return None
        return original(msg, *args, **kwargs)

    print_log.drops_file_client_notices = True
    file_client.print_log = print_log


def _register_trusting_local_loader() -> None:
    from mmengine.runner.checkpoint import CheckpointLoader

    from .engine.checkpoint import load_from_local

    # mmengine picks the longest matching prefix; '' is its local-file scheme.
    CheckpointLoader.register_scheme(
        prefixes='', loader=load_from_local, force=True)


def apply() -> None:
    """Apply every workaround once (idempotent)."""
    global _applied
    if _applied:
        return
    _silence_harmless_warnings()
    _drop_file_client_notices()
    _stub_missing_drn()
    _alias_numpy2_removals()
    _register_trusting_local_loader()
    _applied = True
