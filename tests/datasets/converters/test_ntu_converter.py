import numpy as np
import pytest
from converter_test_utils import (annotations_by_name, check_annotation,
                                  check_pose_dataset, load_pickle,
                                  shared_data)

from halp_mmaction.datasets.converters.base import (ConversionError,
                                                    SkeletonParseError,
                                                    skipped_path)
from halp_mmaction.datasets.converters.ntu import (
    NTU60_XSUB_TRAIN_SUBJECTS, NTU120_XSUB_TRAIN_SUBJECTS, convert_ntu,
    ntu_splits, parse_ntu_name, parse_ntu_skeleton, select_bodies)

BODY_LINE = '{} 0 1 1 1 1 0 0.01 -0.25 2'


def joints(t, offset=0., amplitude=0.1, seed=0):
    """(25, 3) joints of a body at frame t, moving with ``amplitude``."""
    base = np.random.default_rng(seed).uniform(-1, 1, (25, 3))
    base[:, 2] += 3
    wave = amplitude * np.sin(t + np.arange(25))[:, None]
    return np.round(base + offset + wave, 6)


def ntu_text(frames, newline='\n', num_joints=25):
    """The raw format: frames = [[(bodyID, (25, 3) joints), ...], ...]."""
    lines = [str(len(frames))]
    for bodies in frames:
        lines.append(str(len(bodies)))
        for body_id, xyz in bodies:
            lines += [BODY_LINE.format(body_id), str(num_joints)]
            lines += [f'{x:.6f} {y:.6f} {z:.6f} 270.1 190.2 1030.3 520.4 '
                      '-0.2 0.05 0.97 -0.12 2' for x, y, z in xyz]
    return newline.join(lines) + newline


def write_ntu(path, frames, newline='\n'):
    path.write_bytes(ntu_text(frames, newline).encode())
    return path


def one_body(num_frames, body_id=72057594037944738, **kw):
    return [[(body_id, joints(t, **kw))] for t in range(num_frames)]


@pytest.mark.parametrize('newline', ['\n', '\r\n'])
def test_reads_raw_values_lf_and_crlf(tmp_path, newline):
    frames = one_body(5)
    path = write_ntu(tmp_path / 'S001C001P001R001A001.skeleton', frames,
                     newline)
    keypoint, present, ids = parse_ntu_skeleton(path)
    assert keypoint.dtype == np.float32 and keypoint.shape == (1, 5, 25, 3)
    expected = np.stack([xyz for ((_, xyz), ) in frames]).astype(np.float32)
    np.testing.assert_array_equal(keypoint[0], expected)
    assert present.all() and ids == [72057594037944738]


def test_frames_with_no_body_are_zeros(tmp_path):
    frames = one_body(6)
    frames[0] = frames[3] = []
    path = write_ntu(tmp_path / 'S001C001P001R001A001.skeleton', frames)
    keypoint, present, _ = parse_ntu_skeleton(path)
    assert keypoint.shape == (1, 6, 25, 3)
    assert present[0].tolist() == [False, True, True, False, True, True]
    assert not keypoint[0, [0, 3]].any() and keypoint[0, 1].all()


def test_tracks_keep_identity_by_body_id(tmp_path):
    # Kinect lists the bodies in a different order in odd frames.
    frames = []
    for t in range(4):
        bodies = [(11, joints(t, seed=1)), (22, joints(t, 5., seed=2))]
        frames.append(bodies[::-1] if t % 2 else bodies)
    frames[2] = [(22, joints(2, 5., seed=2))]  # body 11 lost in frame 2
    path = write_ntu(tmp_path / 'S001C001P001R001A050.skeleton', frames)
    keypoint, present, ids = parse_ntu_skeleton(path)
    assert ids == [11, 22]
    assert present.tolist() == [[True, True, False, True]] + [[True] * 4]
    for t in (0, 1, 3):
        np.testing.assert_allclose(keypoint[0, t], joints(t, seed=1),
                                   atol=1e-6)
    for t in range(4):
        np.testing.assert_allclose(keypoint[1, t], joints(t, 5., seed=2),
                                   atol=1e-6)


def test_keeps_the_two_bodies_with_most_motion(tmp_path):
    # 4 bodies: a still one far from the others (large spatial spread but no
    # motion), a one-frame ghost, and two moving persons.
    frames = []
    for t in range(8):
        bodies = [(1, joints(0, 0., 0., seed=1) * 5),
                  (2, joints(t, 0., 0.05, seed=2)),
                  (3, joints(t, 1., 0.3, seed=3))]
        if t == 4:
            bodies.append((4, joints(t, 9., 0., seed=4)))
        frames.append(bodies)
    path = write_ntu(tmp_path / 'S001C001P001R001A050.skeleton', frames)
    keypoint, present, ids = parse_ntu_skeleton(path)
    assert keypoint.shape == (4, 8, 25, 3)
    kept = select_bodies(keypoint, present)
    assert kept.shape == (2, 8, 25, 3)
    np.testing.assert_array_equal(kept[0], keypoint[ids.index(3)])
    np.testing.assert_array_equal(kept[1], keypoint[ids.index(2)])


def test_select_bodies_ignores_absent_frames():
    keypoint = np.zeros((2, 10, 25, 3), np.float32)
    present = np.zeros((2, 10), bool)
    # body 0: still, but absent in half the frames (zeros there would count
    # as huge motion if absent frames were not ignored)
    keypoint[0, :5] = 3.
    present[0, :5] = True
    keypoint[1] = np.linspace(0, 0.1, 10)[:, None, None]
    present[1] = True
    kept = select_bodies(keypoint, present, max_bodies=1)
    np.testing.assert_array_equal(kept[0], keypoint[1])


def _set(lines, i, text):
    lines[i] = text
    return lines


# A 3-frame, 1-body file: line 1 frame count; per frame a body count, a body
# line, a joint count and 25 joint lines (frame 1: lines 2-29, 2: 30-57, ...).
@pytest.mark.parametrize('edit, line, message', [
    (lambda L: L[:40] + [L[40][:10]], 42, 'unexpected end of file in the '
     'joints of frame 2, body 1'),
    (lambda L: L[:-1] + [L[-1][:12]], 85, 'expected 12 numbers, found 2'),
    (lambda L: _set(L, 0, '4'), 86, 'expected the body count of frame 4'),
    (lambda L: _set(L, 0, '2'), 58, 'unexpected content after the last'),
    (lambda L: _set(L, 4, 'nan' + L[4][L[4].index(' '):]), 5,
     'non-finite value (nan)'),
    (lambda L: _set(L, 9, ' '.join(L[9].split()[:2] + ['inf'] +
                                   L[9].split()[3:])), 10,
     'non-finite value (inf)'),
    # Beyond float32: a float64 check alone would let it through as inf.
    (lambda L: _set(L, 9, ' '.join(['1e39'] + L[9].split()[1:])), 10,
     'value 1e+39 is beyond the float32 range'),
    (lambda L: _set(L, 3, '24'), 4, 'frame 1, body 1 has 24 joints'),
    (lambda L: _set(L, 6, L[6].rsplit(' ', 1)[0]), 7,
     'expected 12 numbers, found 11'),
    (lambda L: _set(L, 6, L[6].replace(' ', ' x ', 1)), 7,
     'expected 12 numbers, found 13'),
    (lambda L: _set(L, 30, 'x' + L[30]), 31, 'malformed body line of frame 2'),
    (lambda L: _set(L, 29, 'one'), 30, "body count of frame 2, found 'one'"),
    (lambda L: ['0'], 1, 'empty sequence'),
    (lambda L: [], 1, 'empty file'),
    (lambda L: _set(L, 0, 'three'), 1, "frame count, found 'three'"),
])
def test_malformed_files_name_file_and_line(tmp_path, edit, line, message):
    lines = edit(ntu_text(one_body(3)).splitlines())
    path = tmp_path / 'S001C001P001R001A001.skeleton'
    path.write_text('\r\n'.join(lines) + '\r\n')
    with pytest.raises(SkeletonParseError) as info:
        parse_ntu_skeleton(path)
    assert info.value.path == str(path)
    assert message in info.value.msg
    assert info.value.line == line


def test_names_and_splits():
    info = parse_ntu_name('a/S018C002P045R001A061.skeleton')
    assert (info.setup, info.camera, info.performer, info.replication,
            info.action) == (18, 2, 45, 1, 61)
    assert ntu_splits(info, 'ntu120') == ('xsub_train', 'xset_train')
    assert ntu_splits(parse_ntu_name('S017C001P044R001A001.skeleton'),
                      'ntu120') == ('xsub_val', 'xset_val')
    assert ntu_splits(parse_ntu_name('S001C003P038R001A001.skeleton'),
                      'ntu60') == ('xsub_train', 'xview_train')
    assert ntu_splits(parse_ntu_name('S001C001P003R001A001.skeleton'),
                      'ntu60') == ('xsub_val', 'xview_val')
    for bad in ('S001C001P001R001A001.txt', 'S1C001P001R001A001.skeleton',
                'S001C001P001R001A000.skeleton'):
        with pytest.raises(SkeletonParseError, match='expected|1-based'):
            parse_ntu_name(bad)


def test_official_subject_lists():
    assert len(NTU60_XSUB_TRAIN_SUBJECTS) == 20
    assert len(NTU120_XSUB_TRAIN_SUBJECTS) == 53
    assert set(NTU60_XSUB_TRAIN_SUBJECTS) < set(NTU120_XSUB_TRAIN_SUBJECTS)
    assert max(NTU60_XSUB_TRAIN_SUBJECTS) == 38


def _raw_folder(tmp_path):
    raw = tmp_path / 'raw'
    (raw / 'part2').mkdir(parents=True)
    write_ntu(raw / 'S001C001P001R001A001.skeleton', one_body(12), '\r\n')
    write_ntu(raw / 'S001C002P003R002A002.skeleton', one_body(10, seed=3))
    two = [[(5, joints(t, seed=5)), (6, joints(t, 1., 0.2, seed=6))]
           for t in range(9)]
    write_ntu(raw / 'S002C003P008R001A050.skeleton', two)
    # NTU-120 only, in a second archive folder
    write_ntu(raw / 'part2' / 'S018C001P045R001A061.skeleton', one_body(7))
    write_ntu(raw / 'S001C001P001R001A003.skeleton', [[]] * 5)  # no body
    (raw / 'S001C001P002R001A004.skeleton').write_text('garbage\n')
    return raw


def test_convert_ntu60(tmp_path):
    raw = _raw_folder(tmp_path)
    missing = tmp_path / 'missing.txt'
    missing.write_text('1 of the samples have missing skeletons.\n\n'
                       'S001C001P002R001A004\n')
    out = tmp_path / 'ntu60_3d.pkl'
    summary = convert_ntu(raw, out, 'ntu60', missing_list=missing,
                          progress=False)
    data = load_pickle(out)
    assert data['split'] == {
        'xsub_train': ['S001C001P001R001A001', 'S002C003P008R001A050'],
        'xsub_val': ['S001C002P003R002A002'],
        'xview_train': ['S001C002P003R002A002', 'S002C003P008R001A050'],
        'xview_val': ['S001C001P001R001A001'],
    }
    annos = annotations_by_name(out)
    for anno in annos.values():
        check_annotation(anno)
    assert annos['S002C003P008R001A050']['label'] == 49
    assert annos['S002C003P008R001A050']['keypoint'].shape == (2, 9, 25, 3)
    assert annos['S001C001P001R001A001']['keypoint'].shape == (1, 12, 25, 3)
    assert annos['S001C001P001R001A001']['total_frames'] == 12
    skipped = dict(line.split('\t') for line in
                   skipped_path(out).read_text().splitlines())
    assert skipped == {
        str(raw / 'S001C001P001R001A003.skeleton'): 'no body in any frame',
        str(raw / 'S001C001P002R001A004.skeleton'):
        'in the missing-skeleton list',
        str(raw / 'part2' / 'S018C001P045R001A061.skeleton'):
        'not in NTU RGB+D 60 (setup > 17 or action > 60)',
    }
    assert summary.num_samples == 3 and len(summary.skipped) == 3
    for split in ('xsub_train', 'xview_val'):
        check_pose_dataset(out, split)


def test_convert_ntu120_and_invalid_files(tmp_path):
    raw = _raw_folder(tmp_path)
    out = tmp_path / 'ntu120_3d.pkl'
    # without the missing list, the garbage file is an error ...
    with pytest.raises(SkeletonParseError, match='S001C001P002R001A004'):
        convert_ntu(raw, out, 'ntu120', progress=False)
    assert not out.exists()
    # ... or skipped, with its reason
    summary = convert_ntu(raw, out, 'ntu120', skip_invalid=True,
                          workers=2, progress=False)
    data = load_pickle(out)
    assert data['split']['xset_train'] == [
        'S002C003P008R001A050', 'S018C001P045R001A061'
    ]
    assert data['split']['xsub_train'] == [
        'S001C001P001R001A001', 'S002C003P008R001A050', 'S018C001P045R001A061'
    ]
    assert annotations_by_name(out)['S018C001P045R001A061']['label'] == 60
    invalid = [s for s in summary.skipped if s.invalid]
    assert len(invalid) == 1 and 'line 1' in invalid[0].reason
    assert 'S001C001P002R001A004' in skipped_path(out).read_text()
    with pytest.raises(ConversionError, match='exists'):
        convert_ntu(raw, out, 'ntu120', skip_invalid=True, progress=False)


def test_unknown_names_and_bad_arguments(tmp_path):
    raw = tmp_path / 'raw'
    raw.mkdir()
    write_ntu(raw / 'S001C001P001R001A001.skeleton', one_body(4))
    write_ntu(raw / 'sample1.skeleton', one_body(4))
    with pytest.raises(SkeletonParseError, match='sample1.skeleton.*unknown'):
        convert_ntu(raw, tmp_path / 'o.pkl', progress=False)
    summary = convert_ntu(raw, tmp_path / 'o.pkl', skip_invalid=True,
                          progress=False)
    assert summary.num_samples == 1
    with pytest.raises(ConversionError, match='unknown dataset'):
        convert_ntu(raw, tmp_path / 'p.pkl', 'ntu90')
    with pytest.raises(ConversionError, match='not a directory'):
        convert_ntu(tmp_path / 'nope', tmp_path / 'p.pkl')


# ---- the real files in ../shared/data/ntu_raw -------------------------------


def test_real_values_are_reproduced_exactly():
    path = shared_data('ntu_raw', 'S001C001P001R001A001.skeleton')
    keypoint, present, _ = parse_ntu_skeleton(path)
    assert keypoint.shape == (1, 103, 25, 3) and present.all()
    np.testing.assert_array_equal(
        keypoint[0, 0, 0], np.array([0.2181153, 0.1725972, 3.785547],
                                    np.float32))


def test_real_two_person_sample_and_pose_dataset(tmp_path):
    raw = shared_data('ntu_raw')
    missing = shared_data('meta',
                          'NTU_RGBD_samples_with_missing_skeletons.txt')
    out = tmp_path / 'ntu60_3d.pkl'
    summary = convert_ntu(raw, out, 'ntu60', missing_list=missing,
                          workers=2, progress=False)
    assert summary.num_samples == 10 and not summary.skipped
    annos = annotations_by_name(out)
    two = annos['S001C003P008R002A058']
    assert two['keypoint'].shape == (2, 70, 25, 3) and two['label'] == 57
    # both bodies are real persons, present in every frame
    assert np.abs(two['keypoint']).reshape(2, 70, -1).any(-1).all()
    # the LF and the CRLF files alike
    assert annos['S001C001P001R001A001']['keypoint'][0, 0, 0, 0] == \
        np.float32(0.2181153)
    assert annos['S004C002P003R001A017']['keypoint'].shape == (1, 124, 25, 3)
    check_pose_dataset(out, 'xview_train')
