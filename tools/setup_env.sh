#!/usr/bin/env bash
# Creates ./.venv (if absent) and installs halp-mmaction with its pinned stack:
# the CPU torch wheel, mmengine, mmcv-lite and mmaction2 (see requirements/constraints.txt).
# Safe to re-run: an up-to-date environment installs nothing new.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check \
  -c requirements/constraints.txt -e '.[tests]'
.venv/bin/python - <<'PY'
import torch, mmengine, mmcv, mmaction, halp_mmaction
print(f'halp-mmaction {halp_mmaction.__version__}: torch {torch.__version__}, '
      f'mmengine {mmengine.__version__}, mmcv {mmcv.__version__}, mmaction2 {mmaction.__version__}')
PY
