"""Throughput of the NTU converter, in skeleton frames per second.

Two figures on the real raw files (``../shared/data/ntu_raw`` by default):

* ``parse``: one process reading each ``.skeleton`` file and selecting its
  bodies (the per-file work of the converter), ``--repeat`` passes over the
  files, best pass kept;
* ``end-to-end``: ``convert_ntu`` with ``--workers`` processes on a temporary
  folder of ``--copies`` symlinked copies of every file (renamed so their
  names differ), pickle write included.

Example::

    python tools/benchmarks/ntu_conversion.py --workers 2 \
        --json work_dirs/ntu_conversion.json
"""
import argparse
import json
import os
import pickle
import platform
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from halp_mmaction.datasets.converters.ntu import (convert_ntu,
                                                   parse_ntu_skeleton,
                                                   select_bodies)

DEFAULT_ROOT = Path(__file__).resolve().parents[2] / '..' / 'shared' / \
    'data' / 'ntu_raw'


def parse_throughput(paths, repeat: int) -> dict:
    frames, best = 0, float('inf')
    for _ in range(repeat):
        start, frames = time.perf_counter(), 0
        for path in paths:
            keypoint, present, _ = parse_ntu_skeleton(path)
            frames += select_bodies(keypoint, present).shape[1]
        best = min(best, time.perf_counter() - start)
    return dict(files=len(paths), frames=frames, seconds=best,
                frames_per_s=frames / best)


def end_to_end_throughput(paths, copies: int, workers: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / 'raw'
        raw.mkdir()
        for k in range(copies):
            for path in paths:
                # a distinct replication number per copy keeps names unique
                name = f'{path.name[:13]}{k + 1:03d}{path.name[16:]}'
                (raw / name).symlink_to(path.resolve())
        start = time.perf_counter()
        summary = convert_ntu(raw, Path(tmp) / 'out.pkl', 'ntu120',
                              workers=workers, progress=False)
        seconds = time.perf_counter() - start
        with open(Path(tmp) / 'out.pkl', 'rb') as f:
            frames = sum(a['total_frames'] for a in
                         pickle.load(f)['annotations'])
    return dict(files=summary.num_samples, frames=frames, seconds=seconds,
                frames_per_s=frames / seconds, workers=workers)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--data-root', default=str(DEFAULT_ROOT),
                        help='folder of raw .skeleton files')
    parser.add_argument('--repeat', type=int, default=5,
                        help='passes for the parse figure (best kept)')
    parser.add_argument('--copies', type=int, default=20,
                        help='copies of each file for the end-to-end run')
    parser.add_argument('--workers', type=int, default=1)
    parser.add_argument('--json', help='also write the results here')
    args = parser.parse_args(argv)

    paths = sorted(Path(args.data_root).glob('*.skeleton'))
    if not paths:
        print(f'error: no .skeleton file in {args.data_root}',
              file=sys.stderr)
        return 1
    results = dict(
        parse=parse_throughput(paths, args.repeat),
        end_to_end=end_to_end_throughput(paths, args.copies, args.workers),
        environment=dict(python=platform.python_version(),
                         numpy=np.__version__, cpus=os.cpu_count(),
                         machine=platform.machine()))
    for name in ('parse', 'end_to_end'):
        r = results[name]
        extra = f', {r["workers"]} worker(s)' if 'workers' in r else ''
        print(f'{name}: {r["frames_per_s"]:,.0f} frames/s ({r["frames"]} '
              f'frames in {r["files"]} files, {r["seconds"]:.3f} s{extra})')
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(results, indent=2) + '\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
