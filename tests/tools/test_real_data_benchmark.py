"""tools/benchmarks/real_data.py (and its MSR entry point msr_action3d.py):
the summary, the raw-pose baselines on the real recordings in ../shared/data
and a whole run in small (skipped when the data is absent)."""
import importlib.util
import json
import os
import re
import sys
import time

import numpy as np
import pytest
from conftest import REPO_ROOT

BENCH_DIR = REPO_ROOT / 'tools' / 'benchmarks'


def _tool(name):
    sys.path.insert(0, str(BENCH_DIR))
    try:
        spec = importlib.util.spec_from_file_location(
            f'{name}_bench', BENCH_DIR / f'{name}.py')
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(BENCH_DIR))
    return module


def test_summary_has_mean_std_and_every_seed():
    bench = _tool('real_data')
    rows = dict(
        halp=[dict(seed=s, linear_top1=v, knn1_top1=v - 5,
                   pretrain_seconds=100.0 + s)
              for s, v in zip((0, 1, 2), (80.0, 82.0, 84.0))],
        raw_poses=[dict(seed=None, linear_top1=70.0, knn1_top1=71.0,
                        pretrain_seconds=None)])
    summary = bench.summarise(rows)
    halp = summary['halp']
    assert halp['seeds'] == [0, 1, 2]
    assert halp['linear_top1'] == dict(mean=82.0, std=2.0,
                                       per_seed=[80.0, 82.0, 84.0])
    assert halp['knn1_top1']['mean'] == 77.0
    assert halp['pretrain_seconds']['per_seed'] == [100.0, 101.0, 102.0]
    raw = summary['raw_poses']
    assert raw['seeds'] == [] and raw['linear_top1']['std'] == 0.0
    assert raw['pretrain_seconds'] == dict(per_seed=[None])
    table = bench.markdown(summary, 'title')
    assert '| halp | 82.0 ± 2.0 | 77.0 ± 2.0 | 0 1 2 | 101.0 ± 1.0 |' in table
    assert '| raw_poses | 70.0 | 71.0 | - | - |' in table


def test_collapsed_runs_are_kept_per_seed_flagged_and_merged(tmp_path):
    import torch
    bench = _tool('real_data')
    ckpt = tmp_path / 'epoch_200.pth'
    torch.save(dict(contrastive_collapse=dict(
        lowest=dict(loss_moco=(3.9, 10)),
        collapsed=dict(loss_moco=(5.4, 140)))), ckpt)
    assert bench.collapses_of(str(ckpt)) == dict(loss_moco=140)
    torch.save(dict(state_dict={}), ckpt)  # written without the hook
    assert bench.collapses_of(str(ckpt)) == {}
    rows = dict(moco=[
        dict(seed=s, linear_top1=v, knn1_top1=v, pretrain_seconds=1.0,
             collapsed=c)
        for s, v, c in ((0, 55.0, dict(loss_moco=140)), (1, 60.0, {}))])
    document = bench.results_document('msr_action3d', [0, 1], rows, {})
    assert document['methods']['moco']['collapsed'] == dict(
        per_seed=[dict(loss_moco=140), {}])
    assert document['table'].endswith(
        'collapsed (the contrastive loss back at chance, '
        'ContrastiveCollapseHook): moco seed 0 (loss_moco at epoch 140)')
    # merge_real_data keeps it, seed by seed.
    merge = _tool('merge_real_data')
    runs = merge.runs_of(document['methods']['moco'], 'moco', 'x.json')
    assert [r['collapsed'] for r in runs] == [dict(loss_moco=140), {}]


def test_halp_against_moco_of_the_same_seed():
    bench = _tool('real_data')

    def rows(values):
        return [dict(seed=s, linear_top1=v, knn1_top1=v + 1,
                     pretrain_seconds=1.0) for s, v in values]

    summary = bench.summarise(dict(
        moco=rows([(0, 70.0), (1, 60.0), (2, 65.0)]),
        halp=rows([(0, 72.0), (1, 61.0), (2, 68.0)]),
        **{'halp-x': rows([(1, 59.0), (5, 99.0)])}))
    paired = bench.paired_with_moco(summary)
    assert paired['halp']['seeds'] == [0, 1, 2]
    assert paired['halp']['linear_top1'] == dict(
        mean=2.0, std=1.0, se=round(1 / 3 ** 0.5, 2), per_seed=[2.0, 1.0, 3.0])
    # Only the seeds both have.
    assert paired['halp-x']['seeds'] == [1]
    assert paired['halp-x']['knn1_top1']['per_seed'] == [-1.0]
    assert 'moco' not in paired
    table = bench.markdown(summary, 't', paired)
    assert '| halp - moco | +2.0 ± 0.6 (+2.0 / +1.0 / +3.0) |' in table


def test_reused_run_reports_its_own_duration(tmp_path):
    bench = _tool('real_data')
    run = tmp_path / 'halp_seed0'
    (run / '20261201_232522').mkdir(parents=True)
    ckpt = run / 'epoch_100.pth'
    ckpt.write_bytes(b'')
    start = time.mktime(time.strptime('20261201_232522', '%Y%m%d_%H%M%S'))
    os.utime(ckpt, (start + 2683, start + 2683))
    assert bench.reused_seconds(str(run), str(ckpt)) == 2683.0
    (run / '20261202_010000').mkdir()  # resumed: no single duration
    assert bench.reused_seconds(str(run), str(ckpt)) is None


def test_transfer_needs_n_ucla():
    with pytest.raises(SystemExit, match='needs --dataset nw_ucla'):
        _tool('real_data').main([
            '--dataset', 'msr_action3d', '--data-root', 'x', '--work-dir',
            'w', '--out', 'o.json', '--transfer-data-root', 'y'])


@pytest.mark.parametrize('dataset, folder, reference', [
    # ../shared/data/README.md: MSR raw poses hip-centred and scaled, 1-NN
    # 70.2 % (70.5 % here: one test sequence, a resampling detail).
    ('msr_action3d', 'msr_action3d', 70.5),
    # N-UCLA turned to the canonical view (the configs' normalisation).
    ('nw_ucla', 'nw_ucla/all_sqe', 80.0),
])
def test_raw_pose_baselines_on_the_real_data(dataset, folder, reference,
                                             shared_data, tmp_path):
    from mmengine.registry import init_default_scope

    from halp_mmaction.datasets import subject_of
    bench = _tool('real_data')
    init_default_scope('mmaction')
    spec = bench.DATASETS[dataset]
    pkl = bench.convert(dataset, str(shared_data / folder), str(tmp_path))
    cfg = bench.merged_config(
        str(REPO_ROOT / 'configs' / spec['configs']['moco']), [])
    from halp_mmaction.evaluation import flattened_inputs, knn_top1
    train, test = (flattened_inputs(bench.split_loader(cfg, pkl, split))
                   for split in spec['splits'])
    assert train[0].shape[1] == 32 * 25 * 3
    assert knn_top1(*train[:2], *test[:2]) == pytest.approx(reference,
                                                            abs=0.1)
    if dataset == 'msr_action3d':
        assert (len(train[1]), len(test[1])) == (291, 275)
        assert {subject_of(n) for n in train[2]} == {1, 3, 5, 7, 9}
    else:
        assert (len(train[1]), len(test[1])) == (1020, 464)


def test_msr_entry_point_end_to_end(shared_data, tmp_path):
    """One epoch of HaLP, then every probe; the MSR tool's RESULTS.json
    keeps its list schema."""
    out = tmp_path / 'results.json'
    rows = _tool('msr_action3d').main([
        '--data-root', str(shared_data / 'msr_action3d'), '--work-dir',
        str(tmp_path / 'work'), '--out', str(out), '--epochs', '1',
        '--methods', 'halp'])
    assert json.loads(out.read_text()) == rows
    assert [r['method'] for r in rows] == [
        'halp', 'random_encoder', 'raw_poses']
    for row in rows:
        assert 0 < row['linear_top1'] <= 100 and 0 < row['knn1_top1'] <= 100
    assert rows[0]['pretrain_seconds'] > 0
    assert rows[2]['knn1_top1'] == pytest.approx(70.5, abs=0.1)
    full = json.loads((tmp_path / 'work' /
                       'real_data_results.json').read_text())
    assert full['methods']['halp']['seeds'] == [0]
    assert np.isfinite(full['methods']['halp']['linear_top1']['mean'])
    assert (tmp_path / 'work' / 'benchmark_details.json').is_file()


def test_reuse_resumes_an_interrupted_pretraining_exactly(shared_data,
                                                         tmp_path):
    """A run stopped after its checkpoint at epoch 1 of 2 continues from
    it with --reuse, to the weights of the uninterrupted run; a finished
    run is reused as it is."""
    import torch
    bench = _tool('real_data')
    work = tmp_path / 'work'
    args = bench.build_parser().parse_args([
        '--dataset', 'msr_action3d', '--data-root',
        str(shared_data / 'msr_action3d'), '--work-dir', str(work),
        '--out', 'o.json', '--epochs', '2', '--checkpoint-interval', '1',
        '--methods', 'moco', '--seeds', '0', '--jobs', '1'])
    args.work_dir = str(work)
    ann_file = bench.convert(args.dataset, args.data_root, args.work_dir)
    run = work / 'moco_seed0'
    (ckpt, seconds), = bench.pretrain(args, ann_file).values()
    assert ckpt == str(run / 'epoch_2.pth') and seconds > 0
    assert (run / 'epoch_1.pth').is_file()
    uninterrupted = torch.load(ckpt, weights_only=False)['state_dict']

    # Interrupted after epoch 1: mmengine's pointer names that checkpoint.
    (run / 'epoch_2.pth').unlink()
    (run / 'last_checkpoint').write_text(str(run / 'epoch_1.pth'))
    args.reuse = True
    (ckpt, seconds), = bench.pretrain(args, ann_file).values()
    assert seconds is None  # the first part's time is not known
    log = (work / 'moco_seed0.log').read_text()
    # The first part's log is kept, and the second starts after epoch 1.
    assert re.search(r'Epoch\(train\)\s*\[1\]', log)
    assert 'resumed epoch: 1, iter: 18' in log
    resumed = torch.load(ckpt, weights_only=False)['state_dict']
    assert resumed.keys() == uninterrupted.keys()
    for key, value in uninterrupted.items():
        torch.testing.assert_close(resumed[key], value, rtol=0, atol=0,
                                   msg=key)

    assert bench.collapses_of(ckpt) == {}  # the hook's state, no collapse
    mtime = os.path.getmtime(ckpt)
    (again, _), = bench.pretrain(args, ann_file).values()
    assert again == ckpt and os.path.getmtime(ckpt) == mtime  # reused


def test_streams_pick_multi_stream_configs_names_and_controls():
    bench = _tool('real_data')
    args = bench.build_parser().parse_args([
        '--dataset', 'nw_ucla', '--data-root', 'x', '--work-dir', 'w',
        '--out', 'o.json', '--streams', 'joint', 'bone',
        '--halp-variant', 'v', '--halp-cfg-options', 'model.x=1'])
    config, options = bench.method_config(args, 'moco')
    assert config.endswith('cmd/cmd_stgcn-tiny_1xb16-100e_nw-ucla-xview.py')
    assert options == ['model.cmd_head=None', 'model.streams=[joint,bone]']
    config, options = bench.method_config(args, 'cmd_halp')
    assert config.endswith('cmd-halp_stgcn-tiny_1xb16-100e_nw-ucla-xview.py')
    assert options == ['model.streams=[joint,bone]', 'model.x=1']
    cfg = bench.merged_config(config, options[:1])
    assert cfg.model.type == 'SkeletonCMD'
    assert cfg.model.streams == ['joint', 'bone']
    assert bench.method_name(args, 'cmd_halp') == 'cmd_halp-v-joint-bone'
    assert bench.method_name(args, 'cmd') == 'cmd-joint-bone'
    args.streams = None
    with pytest.raises(SystemExit, match='needs --streams'):
        bench.method_config(args, 'cmd')


def test_cmd_halp_against_cmd_of_the_same_seed_stream_by_stream():
    bench = _tool('real_data')

    def rows(values):
        return [dict(seed=s, linear_top1=v, knn1_top1=v, pretrain_seconds=1.)
                for s, v in enumerate(values)]

    summary = bench.summarise({
        'cmd [bone]': rows([60.0, 62.0]), 'cmd_halp [bone]': rows([61., 65.]),
        'cmd': rows([70.0, 70.0]), 'cmd_halp': rows([69.0, 71.0])})
    paired = bench.paired_with_moco(summary, {
        'cmd_halp [bone]': 'cmd [bone]', 'cmd_halp': 'cmd'})
    assert paired['cmd_halp [bone]']['linear_top1']['per_seed'] == [1., 3.]
    assert paired['cmd_halp']['control'] == 'cmd'
    table = bench.markdown(summary, 't', paired)
    assert '| cmd_halp - cmd | +0.0 ± 1.0' in table


def test_encoder_probe_of_a_multi_stream_checkpoint(tmp_path):
    """Each stream and the ensemble, both ways, on a tiny N-UCLA-like
    pickle and a randomly initialised CMD checkpoint."""
    import pickle

    import torch
    from mmaction.registry import MODELS
    from mmengine.registry import init_default_scope

    from halp_mmaction.datasets import view_of
    bench = _tool('real_data')
    init_default_scope('mmaction')
    rng = np.random.default_rng(0)
    annotations, split = [], {'xview_train': [], 'xview_val': []}
    for i in range(24):
        view = 1 + i % 3
        name = f'a{i % 4 + 1:02d}_s01_e{i:02d}_v{view:02d}'
        annotations.append(dict(
            frame_dir=name, label=i % 4, total_frames=20,
            keypoint=rng.normal(size=(1, 20, 25, 3)).astype(np.float32)))
        split['xview_val' if view == 3 else 'xview_train'].append(name)
    pkl = tmp_path / 'tiny.pkl'
    pkl.write_bytes(pickle.dumps(dict(split=split, annotations=annotations)))
    args = bench.build_parser().parse_args([
        '--dataset', 'nw_ucla', '--data-root', 'x', '--work-dir', 'w',
        '--out', 'o.json', '--streams', 'joint', 'motion', 'bone'])
    cfg = bench.merged_config(*bench.method_config(args, 'cmd'))
    torch.manual_seed(0)
    ckpt = tmp_path / 'cmd.pth'
    torch.save(dict(state_dict=MODELS.build(cfg.model).state_dict()), ckpt)
    rows = bench.encoder_probe(cfg, str(ckpt), str(pkl),
                               ('xview_train', 'xview_val'), view_of, 0)
    assert set(rows) == {'', ' [joint]', ' [motion]', ' [bone]'}
    for row in rows.values():
        assert 0 <= row['linear_top1'] <= 100
        assert 0 <= row['knn1_top1'] <= 100
    assert 0 <= rows['']['linear_top1_score_mean'] <= 100


def _results_files(tmp_path, bench, seed_groups, dataset='nw_ucla'):
    """RESULTS.json files of real_data.py, one per group of seeds, and the
    document of one run over all of them: three-stream MoCo and HaLP, CMD
    on seed 0 only, the random encoders, raw poses and a transfer row."""
    def run(seed, value, ensemble=False):
        out = dict(seed=seed, linear_top1=value, knn1_top1=value - 3,
                   pretrain_seconds=None if seed is None else 10.0 + seed)
        if ensemble:
            out[bench.SCORE_MEAN] = value + 1
        return out

    def rows(seeds):
        out = {}
        for m, base in (('moco-joint-bone', 70.0), ('halp-joint-bone', 71.0),
                        ('random_encoder', 50.0)):
            for suffix, shift in ((' [joint]', 0.0), (' [bone]', -2.0),
                                  ('', 1.0)):
                out[m + suffix] = [run(s, base + shift + 0.7 * s, not suffix)
                                   for s in seeds]
        out['raw_poses'] = [run(None, 60.0)]
        out['halp-joint-bone -> msr_action3d'] = [run(s, 40.0 + s)
                                                  for s in seeds]
        if 0 in seeds:
            out['cmd-joint-bone'] = [run(0, 75.0, True)]
            out['cmd-joint-bone [joint]'] = [run(0, 74.0)]
        return out

    controls = {f'halp-joint-bone{s}': f'moco-joint-bone{s}'
                for s in ('', ' [joint]', ' [bone]')}
    paths = []
    for i, seeds in enumerate(seed_groups):
        doc = bench.results_document(dataset, seeds, rows(seeds), controls)
        doc.update(streams=['joint', 'bone'], cfg_options=[])
        paths.append(tmp_path / f'seeds{i}.json')
        paths[-1].write_text(json.dumps(doc))
    every = sorted(s for g in seed_groups for s in g)
    return paths, bench.results_document(dataset, every, rows(every),
                                         controls)


def test_merged_results_equal_one_run_of_every_seed(tmp_path, capsys):
    bench, merge = _tool('real_data'), _tool('merge_real_data')
    paths, expected = _results_files(tmp_path, bench, [[0], [1, 2]])
    out = tmp_path / 'merged.json'
    merged = merge.main([*map(str, paths), '--out', str(out), '--pair',
                         'cmd-joint-bone=moco-joint-bone'])
    assert json.loads(out.read_text()) == merged
    assert merged['seeds'] == [0, 1, 2]
    assert merged['merged_from'] == [str(p) for p in paths]
    for key in ('transfer', 'transfer_paired_with_moco'):
        assert merged[key] == expected[key]
    # CMD ran with seed 0 only; every other row has all three seeds.
    cmd = merged['methods'].pop('cmd-joint-bone')
    merged['methods'].pop('cmd-joint-bone [joint]')
    assert merged['methods'] == {k: v for k, v in expected['methods'].items()
                                 if not k.startswith('cmd')}
    halp = merged['paired_with_moco']['halp-joint-bone']
    assert halp == expected['paired_with_moco']['halp-joint-bone']
    assert halp['linear_top1']['per_seed'] == [1.0, 1.0, 1.0]
    # --pair pairs the ensemble and the streams both rows have.
    assert cmd[bench.SCORE_MEAN]['per_seed'] == [76.0]
    pair = merged['paired_with_moco']['cmd-joint-bone']
    assert pair['control'] == 'moco-joint-bone' and pair['seeds'] == [0]
    assert pair['linear_top1']['per_seed'] == [4.0]
    assert merged['paired_with_moco']['cmd-joint-bone [joint]'][
        'knn1_top1']['per_seed'] == [4.0]
    assert '| halp-joint-bone | 72.7 ± 0.7' in capsys.readouterr().out


def test_merge_refuses_runs_that_do_not_belong_together(tmp_path):
    bench, merge = _tool('real_data'), _tool('merge_real_data')
    paths, _ = _results_files(tmp_path, bench, [[0], [0, 1]])
    # The same seed in both files with the same figures merges once.
    assert merge.main([*map(str, paths), '--out', str(tmp_path / 'm.json')]
                      )['methods']['moco-joint-bone']['seeds'] == [0, 1]
    doc = json.loads(paths[1].read_text())
    doc['methods']['halp-joint-bone']['linear_top1']['per_seed'][0] += 1
    paths[1].write_text(json.dumps(doc))
    with pytest.raises(SystemExit, match=r"'halp-joint-bone' seed 0 is in "
                       r'.*seeds0.json and .*seeds1.json with different'):
        merge.main([*map(str, paths), '--out', str(tmp_path / 'm.json')])
    (tmp_path / 'msr').mkdir()
    msr, _ = _results_files(tmp_path / 'msr', bench, [[3]], 'msr_action3d')
    with pytest.raises(SystemExit, match=r"msr/seeds0.json has dataset = "
                       r"'msr_action3d' but .*seeds0.json 'nw_ucla'"):
        merge.main([str(paths[0]), str(msr[0]),
                    '--out', str(tmp_path / 'm.json')])
    with pytest.raises(SystemExit, match="--pair cmd=moco: no row 'cmd'"):
        merge.main([str(paths[0]), '--out', str(tmp_path / 'm.json'),
                    '--pair', 'cmd=moco'])
    (tmp_path / 'bad.json').write_text('{"seeds": []}')
    with pytest.raises(SystemExit, match='bad.json: not a RESULTS.json of '
                       'real_data.py'):
        merge.main([str(tmp_path / 'bad.json'), '--out', 'x.json'])
