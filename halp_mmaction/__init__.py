"""HaLP for MMAction2: self-supervised skeleton action recognition.

Importing this package applies the compatibility fixes in
:mod:`halp_mmaction.compat` and registers every component into MMAction2's
registries, so configs only need
``custom_imports = dict(imports=['halp_mmaction'], allow_failed_imports=False)``.
"""
from . import compat

compat.apply()

from . import datasets, engine, evaluation, models  # noqa: E402,F401
from .version import __version__  # noqa: E402,F401
