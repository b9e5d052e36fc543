#!/usr/bin/env bash
# Train on NGPUS processes of this machine (or of several, with NNODES,
# NODE_RANK and MASTER_ADDR), as MMAction2's tools/dist_train.sh, with torchrun.
#   bash tools/dist_train.sh CONFIG NGPUS [train.py options]
# PYTHON picks the interpreter (e.g. PYTHON=.venv/bin/python); PORT the
# rendezvous port. On CPUs, add --cfg-options env_cfg.dist_cfg.backend=gloo.
set -euo pipefail
if [ $# -lt 2 ]; then
    echo "usage: $0 CONFIG NGPUS [train.py options]" >&2
    exit 2
fi
CONFIG=$1
GPUS=$2
NNODES=${NNODES:-1}
NODE_RANK=${NODE_RANK:-0}
PORT=${PORT:-29500}
MASTER_ADDR=${MASTER_ADDR:-"127.0.0.1"}
PYTHON=${PYTHON:-python}

PYTHONPATH="$(dirname "$0")/..${PYTHONPATH:+:$PYTHONPATH}" \
"$PYTHON" -m torch.distributed.run \
    --nnodes="$NNODES" \
    --node_rank="$NODE_RANK" \
    --master_addr="$MASTER_ADDR" \
    --nproc_per_node="$GPUS" \
    --master_port="$PORT" \
    "$(dirname "$0")/train.py" \
    "$CONFIG" \
    --launcher pytorch "${@:3}"
