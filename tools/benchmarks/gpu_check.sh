#!/usr/bin/env bash
# Every device figure in one go, for the day a GPU machine is at hand (about
# 6 minutes on one GPU; the speed benchmarks first, then a 2-minute demo
# training with --amp, then the 2-process DDP test with NCCL where two GPUs
# exist). Every figure lands in one JSON file.
#
#   bash tools/benchmarks/gpu_check.sh                       # --device cuda
#   bash tools/benchmarks/gpu_check.sh --device cpu --small  # the test's form
#
# Options: --device cuda|cpu, --small (tiny sizes: the smoke test of the
# script itself), --out FILE (default gpu_check.json). PYTHON picks the
# interpreter (default: .venv/bin/python if present, else python).
set -euo pipefail
cd "$(dirname "$0")/../.."

DEVICE=cuda
SMALL=0
OUT=gpu_check.json
while [ $# -gt 0 ]; do
    case "$1" in
        --device) DEVICE="$2"; shift 2 ;;
        --small) SMALL=1; shift ;;
        --out) OUT="$2"; shift 2 ;;
        *) echo "gpu_check.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
if [ -z "${PYTHON:-}" ]; then
    if [ -x .venv/bin/python ]; then PYTHON=.venv/bin/python; else PYTHON=python; fi
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
BENCH=tools/benchmarks

if [ "$SMALL" = 1 ]; then
    # --skip compiled: the compiled views have their own test (a compile is
    # 10-20 s on a CPU).
    VIEWS=(--batches 2 --repeats 1 --loader-batches 1 --workers 0 --batch-size 8 --skip compiled)
    SPEED=(--backbone demo --queue-len 64 --batch-size 8 --clip-len 16 --num-keys 32 \
           --num-prototypes 4 --num-positives 8 --interval 2 --blocks 1 --kmeans-trials 1 \
           --kmeans-repeats 1)
    BIGRU=(--hidden 16 --layers 2 --clip-len 8 --batch-size 4 --steps 1)
    DEMO_EPOCHS=1
    DEMO_LIMIT=300
    # 36 training and 12 query sequences instead of 352 and 120.
    DEMO_OPTS=()
    for part in train_dataloader.dataset val_dataloader.dataset.bank val_dataloader.dataset.query; do
        DEMO_OPTS+=("$part.num_subjects=4" "$part.repeats=1")
    done
else
    VIEWS=()
    SPEED=(--backbone stgcn)
    BIGRU=()
    DEMO_EPOCHS=40
    DEMO_LIMIT=120   # the 2 minutes: the figures are what it reached by then
    DEMO_OPTS=()
fi

echo "== views per second ($DEVICE)"
"$PYTHON" $BENCH/view_throughput.py --device "$DEVICE" "${VIEWS[@]}" --out "$WORK/views.json"
echo "== training step and k-means ($DEVICE)"
"$PYTHON" $BENCH/speed.py --device "$DEVICE" "${SPEED[@]}" --out "$WORK/speed.json"
echo "== BiGRU step ($DEVICE)"
"$PYTHON" $BENCH/bigru_step.py --device "$DEVICE" "${BIGRU[@]}" --out "$WORK/bigru.json"

echo "== demo training, $DEMO_LIMIT s at most"
AMP=()
DEMO_ENV=()
if [ "$DEVICE" = cuda ]; then AMP=(--amp); else DEMO_ENV=(CUDA_VISIBLE_DEVICES=); fi
START=$(date +%s)
set +e
env "${DEMO_ENV[@]}" timeout "$DEMO_LIMIT" "$PYTHON" tools/train.py configs/halp_stgcn_demo.py \
    "${AMP[@]}" --work-dir "$WORK/demo" \
    --cfg-options train_cfg.max_epochs=$DEMO_EPOCHS train_cfg.val_interval=1 "${DEMO_OPTS[@]}" \
    > "$WORK/demo.log" 2>&1
DEMO_RC=$?
set -e
echo "$((  $(date +%s) - START )) $DEMO_RC" > "$WORK/demo.status"
if [ "$DEMO_RC" != 0 ] && [ "$DEMO_RC" != 124 ]; then
    tail -20 "$WORK/demo.log" >&2
    echo "gpu_check.sh: the demo training failed (exit $DEMO_RC)" >&2
    exit 1
fi

DDP_STATUS=skipped
if [ "$DEVICE" = cuda ] && [ "$("$PYTHON" -c 'import torch; print(torch.cuda.device_count())')" -ge 2 ]; then
    echo "== 2-process DDP test with NCCL"
    if HALP_DDP_BACKEND=nccl "$PYTHON" -m pytest -q tests/test_distributed.py > "$WORK/ddp.log" 2>&1; then
        DDP_STATUS=passed
    else
        DDP_STATUS=failed
        tail -20 "$WORK/ddp.log" >&2
    fi
fi

"$PYTHON" - "$WORK" "$OUT" "$DDP_STATUS" "$DEVICE" <<'EOF'
import glob, json, os, sys
work, out, ddp, device = sys.argv[1:]
figures = {name: json.load(open(os.path.join(work, f'{name}.json')))
           for name in ('views', 'speed', 'bigru')}
seconds, rc = open(os.path.join(work, 'demo.status')).read().split()
knn = []
for path in glob.glob(os.path.join(work, 'demo', '*', 'vis_data',
                                   'scalars.json')):
    for line in open(path):
        record = json.loads(line)
        if 'knn/top1' in record:
            knn.append((record['step'], record['knn/top1']))
figures['demo'] = dict(
    seconds=int(seconds), stopped_by_time_limit=rc == '124',
    amp=device == 'cuda', knn_top1_by_epoch=dict(sorted(knn)))
figures['ddp_nccl_test'] = ddp
with open(out, 'w') as f:
    json.dump(figures, f, indent=2)
print(f'written to {out}')
EOF
