"""The ``tools/data/<dataset>/convert.py`` command lines."""
import importlib.util
import json
import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

REPO_ROOT = Path(__file__).parents[2]


def load_tool(dataset):
    path = REPO_ROOT / 'tools' / 'data' / dataset / 'convert.py'
    spec = importlib.util.spec_from_file_location(f'convert_{dataset}', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_ntu(path, num_frames, seed=0):
    rng = np.random.default_rng(seed)
    lines = [str(num_frames)]
    for _ in range(num_frames):
        lines += ['1', '72057594037944738 0 1 1 1 1 0 0.01 -0.25 2', '25']
        lines += [' '.join(f'{v:.6f}' for v in xyz) + ' 1 2 3 4 0 0 0 0 2'
                  for xyz in rng.uniform(-1, 3, (25, 3))]
    path.write_text('\r\n'.join(lines) + '\r\n')


def write_msr(path, num_frames, seed=0):
    rng = np.random.default_rng(seed)
    path.write_text(''.join(f'{x:.6f} {y:.6f} {z:.6f} 1.0\n' for x, y, z in
                            rng.uniform(-1, 3, (num_frames * 20, 3))))


def run(*args):
    return subprocess.run([sys.executable, *map(str, args)], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=120)


def test_ntu_cli_subprocess(tmp_path):
    # One real process (the import of the OpenMMLab stack costs seconds);
    # the other tests call the same entry points in this process.
    raw = tmp_path / 'raw'
    raw.mkdir()
    write_ntu(raw / 'S001C002P001R001A001.skeleton', 6)
    write_ntu(raw / 'S001C001P003R001A002.skeleton', 5, seed=1)
    out = tmp_path / 'skeleton' / 'ntu60_3d.pkl'
    tool = 'tools/data/ntu/convert.py'
    args = [tool, '--data-root', raw, '--dataset', 'ntu60', '--out', out,
            '--workers', '2']

    done = run(*args)
    assert done.returncode == 0, done.stderr
    assert 'Wrote 2 samples' in done.stdout
    with open(out, 'rb') as f:
        data = pickle.load(f)
    assert data['split']['xview_train'] == ['S001C002P001R001A001']
    assert data['split']['xsub_val'] == ['S001C001P003R001A002']


def test_refuses_to_overwrite(tmp_path, capsys):
    raw = tmp_path / 'raw'
    raw.mkdir()
    write_ntu(raw / 'S001C002P001R001A001.skeleton', 6)
    out = tmp_path / 'ntu60_3d.pkl'
    out.write_bytes(b'old')
    args = ['--data-root', str(raw), '--dataset', 'ntu60', '--out', str(out)]
    cli = load_tool('ntu').cli
    assert cli(args) == 1
    assert capsys.readouterr().err == \
        f'error: output {out} exists; pass --overwrite to replace it\n'
    assert out.read_bytes() == b'old'
    assert cli(args + ['--overwrite']) == 0
    assert pickle.loads(out.read_bytes())['split']['xview_train'] == [
        'S001C002P001R001A001']


def test_all_four_clis(tmp_path, capsys):
    # MSR Action3D
    msr = tmp_path / 'msr'
    msr.mkdir()
    write_msr(msr / 'a01_s01_e01_skeleton3D.txt', 4)
    write_msr(msr / 'a02_s02_e01_skeleton3D.txt', 5)
    (msr / 'a03_s03_e01_skeleton3D.txt').write_text('0 0 0 0\n' * 20)
    out = tmp_path / 'msr.pkl'
    cli = load_tool('msr_action3d').cli
    assert cli(['--data-root', str(msr), '--out', str(out)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert err.startswith('error: ') and 'a03_s03_e01_skeleton3D.txt' in err
    assert not out.exists()
    assert cli(['--data-root', str(msr), '--out', str(out),
                '--skip-invalid']) == 0
    assert 'Wrote 2 samples' in capsys.readouterr().out
    assert (tmp_path / 'msr.pkl.skipped.txt').exists()

    # PKU-MMD II
    pku = tmp_path / 'pku'
    for sub in ('skeleton', 'label', 'split'):
        (pku / sub).mkdir(parents=True)
    frames = np.round(np.random.default_rng(0).uniform(-1, 3, (30, 150)), 5)
    np.savetxt(pku / 'skeleton' / 'A01N01-L.txt', frames, fmt='%.5f')
    (pku / 'label' / 'A01N01-L.txt').write_text('3,0,10,1\n7,10,31,1\n')
    for name in ('cross_subject_v2.txt', 'cross_view_v2.txt'):
        (pku / 'split' / name).write_text(
            'Training videos: \nA01N01-L\nValidataion videos: \n\n')
    cli = load_tool('pku_mmd').cli
    args = ['--skeleton-dir', str(pku / 'skeleton'), '--label-dir',
            str(pku / 'label'), '--split-dir', str(pku / 'split'), '--out',
            str(tmp_path / 'pku.pkl')]
    assert cli(args) == 1
    err = capsys.readouterr().err.strip()
    assert 'A01N01-L.txt, line 2: A01N01-L_0002: interval [10, 31) ends ' \
        'past the skeleton' in err
    assert cli(args + ['--skip-invalid']) == 0
    assert 'Wrote 1 samples' in capsys.readouterr().out

    # preprocessed .npy
    npy = tmp_path / 'xsub'
    npy.mkdir()
    for part, n in (('train', 3), ('val', 2)):
        np.save(npy / f'{part}_data_joint.npy',
                np.ones((n, 3, 8, 25, 2), np.float32))
        np.save(npy / f'{part}_num_frame.npy', np.full(n, 8))
        with open(npy / f'{part}_label.pkl', 'wb') as f:
            pickle.dump(([f'{part}{i}' for i in range(n)], [0] * n), f)
    cli = load_tool('official_npy').cli
    assert cli(['--data-dir', str(npy), '--out',
                str(tmp_path / 'npy.pkl')]) == 0
    assert 'xsub_val: 2' in capsys.readouterr().out

    # NTU, with a missing list
    raw = tmp_path / 'raw'
    raw.mkdir()
    write_ntu(raw / 'S018C001P045R001A061.skeleton', 3)
    write_ntu(raw / 'S001C001P001R001A001.skeleton', 3)
    missing = tmp_path / 'missing.txt'
    missing.write_text('header\n\nS001C001P001R001A001\n')
    cli = load_tool('ntu').cli
    assert cli(['--data-root', str(raw), '--dataset', 'ntu120', '--out',
                str(tmp_path / 'ntu.pkl'), '--missing-list',
                str(missing)]) == 0
    out = capsys.readouterr().out
    assert 'xset_train: 1' in out and '1 x in the missing-skeleton list' in out


def test_skip_invalid_is_suggested_only_where_it_helps(tmp_path, capsys):
    msr = tmp_path / 'msr'
    msr.mkdir()
    write_msr(msr / 'a01_s01_e01_skeleton3D.txt', 4)
    (msr / 'a02_s01_e01_skeleton3D.txt').write_text('1 2 x 4\n' * 20)
    cli = load_tool('msr_action3d').cli
    assert cli(['--data-root', str(msr), '--out',
                str(tmp_path / 'o.pkl')]) == 1
    assert capsys.readouterr().err.strip().endswith(
        '(pass --skip-invalid to skip invalid files)')
    # A broken whole-set file cannot be skipped: no such hint.
    npy = tmp_path / 'xsub'
    npy.mkdir()
    np.save(npy / 'train_data_joint.npy', np.ones((2, 3, 8, 20, 2)))
    np.save(npy / 'train_num_frame.npy', np.full(2, 8))
    with open(npy / 'train_label.pkl', 'wb') as f:
        pickle.dump((['a', 'b'], [0, 1]), f)
    assert load_tool('official_npy').cli([
        '--data-dir', str(npy), '--parts', 'train', '--out',
        str(tmp_path / 'n.pkl'), '--skip-invalid']) == 1
    err = capsys.readouterr().err.strip()
    assert '20 joints per frame' in err and '--skip-invalid' not in err
    # N-UCLA
    ucla = tmp_path / 'ucla'
    ucla.mkdir()
    (ucla / 'a01_s01_e00_v01.json').write_text(json.dumps(dict(
        file_name='a01_s01_e00_v01', label=1,
        skeletons=np.ones((3, 20, 3)).tolist())))
    assert load_tool('nw_ucla').cli(['--data-root', str(ucla), '--out',
                                     str(tmp_path / 'u.pkl')]) == 0
    assert 'xview_train: 1' in capsys.readouterr().out


def test_usage_errors(capsys):
    with pytest.raises(SystemExit) as info:
        load_tool('ntu').cli(['--data-root', 'x', '--out', 'y.pkl'])
    assert info.value.code == 2
    assert '--dataset' in capsys.readouterr().err
