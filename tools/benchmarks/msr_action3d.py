"""MSR Action3D benchmark: HaLP against MoCo and against baselines that do not
learn, on real recordings, in one go on a CPU.

    python tools/benchmarks/msr_action3d.py --data-root ../shared/data/msr_action3d \\
        --work-dir work_dirs/msr_benchmark --out msr_results.json

Steps (each prints its progress):

1. Convert the raw files with ``halp_mmaction.datasets.converters.msr_action3d``
   (in-process, ``skip_invalid``: ``a13_s09_e02`` is all zeros), 291 training
   (odd subjects) and 275 test (even subjects) sequences.
2. Normalise once, for every method alike: per frame, centre on the hip
   centre (NTU joint 1); per sequence, divide by the mean joint distance to
   it. The encoders read ``WORK_DIR/msr_action3d_3d_hipnorm.pkl``.
3. Pretrain a small ST-GCN self-supervised on the training sequences (no
   labels) with HaLP and, with the same model, schedule, data and seed, with
   plain MoCo (``configs/eval/msr_action3d/``); both runs go through
   ``tools/train.py``, side by side (one core each) unless ``--sequential``.
4. Probe each encoder (HaLP, MoCo, and the same ST-GCN randomly initialised)
   and the raw poses (every sequence resampled to 32 frames, flattened: the
   reference figures of ``../shared/data/README.md``) on the cross-subject
   split, with the same two probes:

   * 1-NN: cosine nearest training sequence (``knn_predict``);
   * linear: multinomial logistic regression (scikit-learn, L2) on
     standardised features, C chosen from LOGREG_CS by leave-one-subject-out
     cross-validation on the training subjects: a fast, deterministic
     stand-in for the official SGD-trained linear layer
     (``configs/eval/msr_action3d/`` has that one).

   Encoder features are the pooled backbone output of the whole sequence
   resized to 32 frames (``TemporalCropResize`` with ``crop_ratio=1``).

``--methods halp`` pretrains one method only; ``--cfg-options KEY=VALUE``
changes both pretraining configs (and the random encoder) as tools/train.py
would, e.g. ``model.backbone.base_channels=48 model.neck.in_channels=96``.

RESULTS.json: a list, one object per method, with ``method``,
``linear_top1`` and ``knn1_top1`` (percent) and ``pretrain_seconds`` (wall
time of the pretraining run; null without one).
"""
import os

if __name__ == '__main__':
    # Single-threaded BLAS/OpenMP, set before numpy loads: on a shared
    # 2-core machine multi-threaded scikit-learn fits ran 25x slower
    # (oversubscription), not faster.
    for _var in ('OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS',
                 'MKL_NUM_THREADS'):
        os.environ.setdefault(_var, '1')

import argparse  # noqa: E402
import json  # noqa: E402
import os.path as osp  # noqa: E402
import pickle  # noqa: E402
import re  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG_DIR = osp.join(REPO_ROOT, 'configs', 'eval', 'msr_action3d')
CONFIGS = dict(
    halp=osp.join(CONFIG_DIR, 'halp_stgcn-tiny_1xb16-200e_msr-xsub.py'),
    moco=osp.join(CONFIG_DIR, 'moco_stgcn-tiny_1xb16-200e_msr-xsub.py'))
CLIP_LEN = 32
LOGREG_CS = (0.01, 0.1, 1.0, 10.0, 100.0)
HIP = 0  # NTU joint 1, base of the spine: MSR's hip centre


def log(msg: str) -> None:
    print(f'[{time.strftime("%H:%M:%S")}] {msg}', flush=True)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='HaLP vs MoCo vs baselines on MSR Action3D')
    parser.add_argument('--data-root', required=True,
                        help='folder of the *_skeleton3D.txt files')
    parser.add_argument('--work-dir', required=True)
    parser.add_argument('--out', required=True, help='RESULTS.json')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--epochs', type=int, default=None,
                        help="pretraining epochs (default: the configs')")
    parser.add_argument('--sequential', action='store_true',
                        help='pretrain one method after the other')
    parser.add_argument('--reuse', action='store_true',
                        help='reuse pretraining checkpoints found in the '
                        'work dir')
    parser.add_argument('--methods', nargs='+', choices=sorted(CONFIGS),
                        default=sorted(CONFIGS),
                        help='self-supervised methods to pretrain (default: '
                        'both; the baselines always run)')
    parser.add_argument('--cfg-options', nargs='+', default=[],
                        metavar='KEY=VALUE',
                        help='override settings of both pretraining configs '
                        '(and of the random encoder), as tools/train.py does')
    return parser.parse_args(argv)


def merged_config(config: str, cfg_options):
    """A config with tools/train.py-style KEY=VALUE overrides applied."""
    from mmengine.config import Config, DictAction
    cfg = Config.fromfile(config)
    if cfg_options:
        parser = argparse.ArgumentParser()
        parser.add_argument('--o', nargs='+', action=DictAction)
        cfg.merge_from_dict(parser.parse_args(['--o', *cfg_options]).o)
    return cfg


# -- data -------------------------------------------------------------------
def convert(data_root: str, work_dir: str) -> str:
    from halp_mmaction.datasets.converters.msr_action3d import \
        convert_msr_action3d
    out = osp.join(work_dir, 'msr_action3d_3d.pkl')
    summary = convert_msr_action3d(data_root, out, skip_invalid=True,
                                   overwrite=True, progress=False)
    log(summary.format().replace('\n', '\n    '))
    return out


def hip_normalise(keypoint: np.ndarray) -> np.ndarray:
    """(M, T, V, C): centred on the hip centre per frame, unit mean joint
    distance to it over the sequence. Untracked (all-zero) frames stay 0."""
    centred = keypoint - keypoint[:, :, HIP:HIP + 1]
    scale = np.linalg.norm(centred, axis=-1)
    tracked = np.abs(keypoint).sum(axis=(-1, -2)) > 0
    scale = scale[tracked].mean() if tracked.any() else 1.0
    return (centred / max(scale, 1e-6)).astype(np.float32)


def normalise(src: str, work_dir: str) -> str:
    with open(src, 'rb') as f:
        data = pickle.load(f)
    for ann in data['annotations']:
        ann['keypoint'] = hip_normalise(ann['keypoint'])
    out = osp.join(work_dir, 'msr_action3d_3d_hipnorm.pkl')
    with open(out, 'wb') as f:
        pickle.dump(data, f)
    return out


def raw_pose_features(ann_file: str, split: str):
    """Sequences resampled to CLIP_LEN frames (linear), flattened."""
    from halp_mmaction.datasets.transforms.temporal_crop_resize import \
        linear_resize_indices
    with open(ann_file, 'rb') as f:
        data = pickle.load(f)
    names = set(data['split'][split])
    feats, labels, subjects = [], [], []
    for ann in data['annotations']:
        if ann['frame_dir'] not in names:
            continue
        kp = ann['keypoint'][0]
        lo, hi, w = linear_resize_indices(len(kp), CLIP_LEN)
        w = w[:, None, None]
        feats.append((kp[lo] * (1 - w) + kp[hi] * w).reshape(-1))
        labels.append(ann['label'])
        subjects.append(subject_of(ann['frame_dir']))
    return np.stack(feats), np.array(labels), np.array(subjects)


def subject_of(frame_dir: str) -> int:
    """``a01_s03_e02`` -> 3."""
    return int(re.fullmatch(r'a\d+_s(\d+)_e\d+', frame_dir)[1])


# -- probes -----------------------------------------------------------------
def probe(train_x, train_y, train_subjects, test_x, test_y):
    """1-NN (cosine) and logistic-regression top-1, in percent.

    Returns ``(metrics, details)``: ``linear_top1`` and ``knn1_top1``; the
    chosen C, its cross-validation top-1 and the feature size.

    The logistic regression (standardised features, L2) takes its C from
    LOGREG_CS by leave-one-subject-out cross-validation on the training
    subjects, so every method gets its best regularisation without looking
    at the test subjects.
    """
    import torch
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV, LeaveOneGroupOut
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from halp_mmaction.evaluation import knn_predict
    pred = knn_predict(torch.from_numpy(train_x).float(),
                       torch.from_numpy(train_y),
                       torch.from_numpy(test_x).float()).numpy()
    knn1 = float((pred == test_y).mean() * 100)
    search = GridSearchCV(
        make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000)),
        {'logisticregression__C': list(LOGREG_CS)}, cv=LeaveOneGroupOut())
    search.fit(train_x, train_y, groups=train_subjects)
    linear = float(search.score(test_x, test_y) * 100)
    return dict(linear_top1=round(linear, 2), knn1_top1=round(knn1, 2)), \
        dict(logreg_C=search.best_params_['logisticregression__C'],
             logreg_cv_top1=round(float(search.best_score_) * 100, 2),
             feature_dim=int(train_x.shape[1]))


def encoder_features(config: str, checkpoint, ann_file: str, splits,
                     seed: int, cfg_options=()):
    """Pooled backbone features of each split (test pipeline of the config):
    a list of ``(features, labels, subjects)``, one per split."""
    import torch
    from mmengine.registry import init_default_scope
    from mmengine.runner import Runner

    from halp_mmaction.evaluation import (eval_dataset_cfg, extract_features,
                                          load_encoder)
    cfg = merged_config(config, cfg_options)
    init_default_scope('mmaction')
    torch.manual_seed(seed)  # the random-encoder baseline's init
    model = load_encoder(cfg.model, checkpoint)
    outputs = []
    for split in splits:
        dataset = eval_dataset_cfg(cfg.test_dataloader, 'query', split)
        dataset['ann_file'] = ann_file
        loader = Runner.build_dataloader(dict(
            batch_size=64, num_workers=0,
            sampler=dict(type='DefaultSampler', shuffle=False),
            dataset=dataset))
        feats, labels, _ = extract_features(model, loader)
        subjects = [subject_of(loader.dataset.get_data_info(i)['frame_dir'])
                    for i in range(len(loader.dataset))]
        outputs.append((feats, labels, np.array(subjects)))
    return outputs


# -- pretraining ------------------------------------------------------------
def _pump(proc, name: str, log_file: str) -> None:
    """Copy a run's output to its log file; echo every 10th epoch's line."""
    epoch = re.compile(r'Epoch\(train\)\s*\[(\d+)\]\[\s*(\d+)/(\d+)\]')
    with open(log_file, 'w') as f:
        for line in proc.stdout:
            f.write(line)
            match = epoch.search(line)
            if (match and int(match[1]) % 10 == 0 and match[2] == match[3]) \
                    or 'Error' in line:
                print(f'    [{name}] {line.split(" - ")[-1].strip()[:160]}',
                      flush=True)


def pretrain(methods, ann_file: str, work_dir: str, seed: int, epochs,
             sequential: bool, reuse: bool, cfg_options=()) -> dict:
    """Run tools/train.py for each method; {method: (checkpoint, seconds)}."""
    with open(ann_file, 'rb') as f:
        num_train = len(pickle.load(f)['split']['xsub_train'])
    runs, done = {}, {}
    for name in methods:
        cfg = merged_config(CONFIGS[name], cfg_options)
        max_epochs = epochs or cfg.train_cfg.max_epochs
        run_dir = osp.join(work_dir, name)
        ckpt = osp.join(run_dir, f'epoch_{max_epochs}.pth')
        if reuse and osp.isfile(ckpt):
            log(f'{name}: reusing {ckpt}')
            done[name] = (ckpt, None)
            continue
        options = [*cfg_options,
                   f'train_dataloader.dataset.ann_file={ann_file}',
                   f'train_cfg.max_epochs={max_epochs}',
                   f'param_scheduler.0.T_max={max_epochs}',
                   f'default_hooks.checkpoint.interval={max_epochs}']
        if cfg.model.get('halp_head') is not None:
            # HaLP on for the second half, whatever the number of epochs.
            batch = cfg.train_dataloader.batch_size
            steps = num_train // batch  # drop_last
            options.append('model.halp_head.warmup_samples='
                           f'{max_epochs // 2 * steps * batch}')
        cmd = [sys.executable, osp.join(REPO_ROOT, 'tools', 'train.py'),
               CONFIGS[name], '--work-dir', run_dir, '--seed', str(seed),
               '--no-validate', '--cfg-options', *options]
        # One thread per run: on a shared 2-core machine two single-threaded
        # runs side by side beat two-threaded ones taking turns.
        env = dict(os.environ, OMP_NUM_THREADS='1', MKL_NUM_THREADS='1',
                   PYTHONUNBUFFERED='1')
        log(f'{name}: pretraining {max_epochs} epochs -> {run_dir}')
        runs[name] = (ckpt, time.time(), subprocess.Popen(
            cmd, cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True))
        pump = threading.Thread(
            target=_pump, args=(runs[name][2], name,
                                osp.join(work_dir, f'{name}_pretrain.log')))
        pump.start()
        runs[name] += (pump, )
        if sequential:
            _wait(name, runs.pop(name), done, work_dir)
    for name in list(runs):
        _wait(name, runs.pop(name), done, work_dir)
    return done


def _wait(name, run, done, work_dir):
    ckpt, start, proc, pump = run
    code = proc.wait()
    pump.join()
    seconds = time.time() - start
    if code != 0 or not osp.isfile(ckpt):
        raise RuntimeError(f'{name} pretraining failed (exit {code}); see '
                           f'{osp.join(work_dir, name + "_pretrain.log")}')
    log(f'{name}: pretrained in {seconds:.0f} s')
    done[name] = (ckpt, round(seconds, 1))


# -- main -------------------------------------------------------------------
def main(argv=None):
    args = parse_args(argv)
    start = time.time()
    os.makedirs(args.work_dir, exist_ok=True)
    work_dir = osp.abspath(args.work_dir)
    import torch
    from mmengine.logging import MMLogger
    torch.set_num_threads(1)
    # The probes build models and datasets outside a Runner: keep their INFO
    # logs (every initialised tensor) off the progress output.
    MMLogger.get_instance('msr_benchmark', log_level='WARNING')
    warnings.filterwarnings('ignore', message='pkg_resources is deprecated')
    import halp_mmaction  # noqa: F401  (compat fixes + registration)

    log('1/4 converting MSR Action3D')
    raw_file = convert(args.data_root, work_dir)
    log('2/4 normalising (hip-centred per frame, scale per sequence)')
    ann_file = normalise(raw_file, work_dir)

    results, details = [], {}

    def report(method, train, test, seconds=None):
        metrics, extra = probe(*train, *test[:2])
        row = dict(method=method, **metrics, pretrain_seconds=seconds)
        results.append(row)
        details[method] = extra
        log(f'    {method}: linear {row["linear_top1"]:.1f} % (C '
            f'{extra["logreg_C"]:g}), 1-NN {row["knn1_top1"]:.1f} %')

    log(f'3/4 self-supervised pretraining: {", ".join(args.methods)}, seed '
        f'{args.seed}')
    runs = pretrain(args.methods, ann_file, work_dir, args.seed,
                    args.epochs, args.sequential, args.reuse,
                    args.cfg_options)

    log('4/4 probes on the cross-subject split')
    encoders = [(name, CONFIGS[name], *runs[name]) for name in ('halp', 'moco')
                if name in runs]
    encoders.append(('random_encoder', CONFIGS['moco'], None, None))
    for method, config, ckpt, seconds in encoders:
        feats = encoder_features(config, ckpt, ann_file,
                                 ('xsub_train', 'xsub_val'), args.seed,
                                 args.cfg_options)
        report(method, *feats, seconds)
    report('raw_poses', raw_pose_features(ann_file, 'xsub_train'),
           raw_pose_features(ann_file, 'xsub_val'))

    with open(args.out, 'w') as f:
        json.dump(results, f, indent=2)
    details.update(seed=args.seed, configs=CONFIGS,
                   cfg_options=args.cfg_options,
                   seconds_in_all=round(time.time() - start, 1))
    with open(osp.join(work_dir, 'benchmark_details.json'), 'w') as f:
        json.dump(details, f, indent=2)
    print('\n| method | linear top-1 (%) | 1-NN top-1 (%) | pretraining (s) |')
    print('| --- | --- | --- | --- |')
    for row in results:
        print(f'| {row["method"]} | {row["linear_top1"]:.1f} | '
              f'{row["knn1_top1"]:.1f} | {row["pretrain_seconds"] or "-"} |')
    log(f'wrote {args.out} ({time.time() - start:.0f} s in all)')
    return results


if __name__ == '__main__':
    main()
