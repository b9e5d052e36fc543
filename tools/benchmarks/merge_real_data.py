"""Merge RESULTS.json files of ``tools/benchmarks/real_data.py`` into one,
with the means, stds and paired differences over all their seeds.

    python tools/benchmarks/merge_real_data.py \\
        ucla_streams_moco-halp_seed0.json ucla_streams_moco-halp_seed1.json \\
        ucla_streams_cmd-halp_seed0.json ... --out ucla_streams.json \\
        [--pair cmd-joint-motion-bone=moco-joint-motion-bone]

A 3-stream N-UCLA seed takes hours, so seeds and methods run one
invocation at a time, often on different days; this puts their figures
back together without re-probing anything. The files must come from the
same dataset, streams and ``--cfg-options``. A run (row, seed) found in two
files must have the same figures in both, as the random-encoder and
raw-pose rows do (the probes are deterministic); two different runs of one
seed are an error, not an average.

Every pairing the files made (HaLP with MoCo, CMD + HaLP with CMD) is kept;
``--pair ROW=CONTROL`` adds one, stream by stream: ``--pair
cmd-joint-motion-bone=moco-joint-motion-bone`` pairs CMD's ensemble and each
of its streams (``cmd-joint-motion-bone [bone]``, ...) with MoCo's, which
measures what the distillation adds.

The output has real_data.py's schema (``dataset``, ``seeds``, ``methods``,
``paired_with_moco``, ``transfer``, ``transfer_paired_with_moco``,
``table``, ``streams``, ``cfg_options``, ``configs``) and ``merged_from``,
the input files; the table is printed.
"""
import argparse
import json
import os.path as osp
import sys
from typing import Dict, List, Sequence

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from real_data import (COLLAPSED, METRICS, SCORE_MEAN, log,  # noqa: E402
                       results_document)

# What must agree between the files for their runs to be comparable.
SHARED_FIELDS = ('dataset', 'streams', 'cfg_options')
TRANSFER_TARGET = ' -> msr_action3d'


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='merge RESULTS.json files of real_data.py')
    parser.add_argument('results', nargs='+', help='RESULTS.json files')
    parser.add_argument('--out', required=True, help='merged RESULTS.json')
    parser.add_argument('--pair', nargs='+', default=[],
                        metavar='ROW=CONTROL',
                        help='also pair ROW (and its streams) with CONTROL, '
                        'seed by seed')
    args = parser.parse_args(argv)
    for pair in args.pair:
        if pair.count('=') != 1 or not all(pair.split('=')):
            parser.error(f'--pair {pair!r}: expected ROW=CONTROL')
    return args


def runs_of(entry: dict, name: str, path: str) -> List[dict]:
    """The per-run rows of one summary entry (``summarise``'s inverse)."""
    keys = [*METRICS, 'pretrain_seconds']
    if SCORE_MEAN in entry:
        keys.append(SCORE_MEAN)
    values = {k: entry[k]['per_seed'] for k in keys}
    if COLLAPSED in entry:
        values[COLLAPSED] = entry[COLLAPSED]['per_seed']
    count = len(values[METRICS[0]])
    seeds = entry['seeds'] or [None] * count
    if any(len(v) != len(seeds) for v in values.values()):
        raise SystemExit(f'error: {path}: row {name!r} has {len(seeds)} '
                         'seeds but per-seed lists of another length')
    return [dict(seed=seed, **{k: v[i] for k, v in values.items()})
            for i, seed in enumerate(seeds)]


def merge(documents: Dict[str, dict], pairs: Sequence[str] = ()) -> dict:
    """One RESULTS document from several (path -> document)."""
    first_path, first = next(iter(documents.items()))
    rows: Dict[str, Dict[object, dict]] = {}
    found_in: Dict[tuple, str] = {}
    controls: Dict[str, str] = {}
    configs: Dict[str, list] = {}
    seeds = set()
    for path, doc in documents.items():
        for field in SHARED_FIELDS:
            if doc.get(field) != first.get(field):
                raise SystemExit(
                    f'error: {path} has {field} = {doc.get(field)!r} but '
                    f'{first_path} {first.get(field)!r}: runs of different '
                    'benchmarks cannot be merged')
        seeds.update(doc['seeds'])
        configs.update(doc.get('configs') or {})
        for section, suffix in (('methods', ''),
                                ('transfer', TRANSFER_TARGET)):
            for name, entry in (doc.get(section) or {}).items():
                for run in runs_of(entry, name, path):
                    key = (name + suffix, run['seed'])
                    known = rows.setdefault(key[0], {}).get(run['seed'])
                    if known is None:
                        rows[key[0]][run['seed']] = run
                        found_in[key] = path
                    elif any(known.get(k) != run.get(k)
                             for k in (*METRICS, SCORE_MEAN)):
                        raise SystemExit(
                            f'error: row {key[0]!r} seed {run["seed"]} is in '
                            f'{found_in[key]} and {path} with different '
                            f'figures ({[known[k] for k in METRICS]} and '
                            f'{[run[k] for k in METRICS]}): two runs of one '
                            'seed cannot be merged')
        for section in ('paired_with_moco', 'transfer_paired_with_moco'):
            for name, entry in (doc.get(section) or {}).items():
                controls[name] = entry['control']
    names = [n for n in rows if TRANSFER_TARGET not in n]
    for pair in pairs:
        method, control = pair.split('=')
        matched = [n for n in names
                   if n == method or n.startswith(method + ' [')]
        if not matched:
            raise SystemExit(f'error: --pair {pair}: no row {method!r} in '
                             f'the files (rows: {", ".join(names)})')
        for name in matched:
            controls[name] = control + name[len(method):]
    ordered = {}
    for name, runs in rows.items():
        order = sorted(runs, key=lambda s: (s is not None, s))  # None first
        ordered[name] = [runs[s] for s in order]
    document = results_document(first['dataset'], sorted(seeds), ordered,
                                controls)
    document.update(streams=first.get('streams'),
                    cfg_options=first.get('cfg_options'), configs=configs,
                    merged_from=list(documents))
    return document


def main(argv=None) -> dict:
    args = parse_args(argv)
    documents = {}
    for path in args.results:
        try:
            with open(path) as f:
                documents[path] = json.load(f)
        except (OSError, json.JSONDecodeError) as e:
            raise SystemExit(f'error: {path}: cannot read a RESULTS.json '
                             f'({e})')
        missing = [k for k in ('dataset', 'seeds', 'methods')
                   if k not in documents[path]]
        if missing:
            raise SystemExit(f'error: {path}: not a RESULTS.json of '
                             f'real_data.py (no {", ".join(missing)})')
    document = merge(documents, args.pair)
    with open(args.out, 'w') as f:
        json.dump(document, f, indent=2)
    print('\n' + document['table'] + '\n')
    log(f'wrote {args.out} ({len(documents)} files, seeds '
        f'{document["seeds"]})')
    return document


if __name__ == '__main__':
    main()
