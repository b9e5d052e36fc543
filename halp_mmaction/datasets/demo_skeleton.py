"""A procedurally animated skeleton dataset in NTU RGB+D's layout, no download.

Each sample is forward kinematics over NTU's 25-joint bone tree, with joint
angles written as smooth functions of time, then placed in a Kinect-like
camera space (metres, ``y`` up, the person about 3 m away along ``+z``,
facing the camera, their right side towards ``+x``). Variation comes from:

* the performer (``Pxxx``): height and limb proportions, speed, amplitude,
  posture, camera pitch, height and offset, a yaw on top of the camera's;
* the camera (``Cxxx``): yaw 0, -45 or 45 degrees (replication ``r`` is seen
  by camera ``r % 3``, as NTU films each replication from three views);
* the replication (``Rxxx``): length, pace (warped time), timing, posture,
  heading, an unrelated fidget of one arm, slow angle drift, the order of
  the two bodies of an interaction, and sensor jitter (larger on hand tips
  and thumbs, as on a Kinect).

The classes are told apart by how they move, with deliberately close pairs
(waving right, left or both hands; punch and throw; bow and reach down;
wave both hands and raise both arms). A cosine 1-NN on raw poses (centred
on joint 0) from the 6 training performers to the 4 others scores 82.5 %
with the defaults (82 to 88 % over seeds 0-3; chance is 8.3 %): learnable,
not trivial.

Samples are named like NTU's, ``S001C002P003R004A005`` (setup, camera,
performer, replication, action; all 1-based), and stored in MMAction2's
skeleton pickle schema, so :class:`~mmaction.datasets.PoseDataset` pipelines
(``PreNormalize3D``, ``GenSkeFeat``, ...) apply unchanged.
"""
from typing import Callable, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
from mmaction.registry import DATASETS

from .demo_motions import (CAMERA_YAW, DEMO_CLASSES, MOTIONS, ORDER, PARENTS,
                           REST, SEGMENTS, STYLE_DEG, STYLED, TIPS, Body,
                           Context, interp, rotation)
from .skeleton_pose_dataset import SkeletonPoseDataset


def _draw_body(rng: np.random.Generator) -> Tuple[np.ndarray, np.ndarray]:
    """A person's bone offsets (25, 3) and resting posture angles (25, 3)."""
    offsets = REST * rng.uniform(.85, 1.1)
    for joints in SEGMENTS:
        offsets[joints] *= rng.uniform(.9, 1.1)
    style = np.zeros((25, 3))
    style[STYLED] = rng.normal(0., .7, (len(STYLED), 3)) * STYLE_DEG
    return offsets, style


def _draw_performer(rng: np.random.Generator) -> Dict:
    """Everything a performer keeps across classes and replications."""
    offsets, style = _draw_body(rng)
    yaw, pitch = rng.uniform(-30., 30.), rng.uniform(-8., 8.)
    # Per camera, turn the scene to its view, then tilt it by its pitch.
    views = [rotation(np.array([pitch, 0., 0.])) @
             rotation(np.array([0., cam_yaw + yaw, 0.]))
             for cam_yaw in CAMERA_YAW]
    return dict(
        offsets=offsets, style=style, speed=rng.uniform(.75, 1.35),
        amp=rng.uniform(.8, 1.15), views=views,
        camera=np.array([rng.uniform(-.3, .3), rng.uniform(-.3, .1),
                         rng.uniform(2.6, 3.6)]))


def _forward_kinematics(offsets: np.ndarray, angles: np.ndarray,
                        root: np.ndarray, yaw: np.ndarray) -> np.ndarray:
    """Joint positions (N, 25, 3) of N independent frames.

    A bone's rotation turns it and everything below it in the tree, relative
    to its parent bone's frame; ``yaw`` turns the whole body about ``root``.

    Args:
        offsets (np.ndarray): (N, 25, 3) bone offsets in the rest pose.
        angles (np.ndarray): (N, 25, 3) bone angles, see :func:`rotation`.
        root (np.ndarray): (N, 3) position of joint 0.
        yaw (np.ndarray): (N, ) heading in degrees.
    """
    angles = np.ascontiguousarray(angles.transpose(1, 2, 0))  # (25, 3, N)
    offsets = np.ascontiguousarray(offsets.transpose(1, 2, 0))
    zero = np.zeros_like(yaw)
    heading = rotation(np.stack([zero, yaw, zero]))
    world = {0: np.einsum('ikn,kjn->ijn', heading, rotation(angles[0]))}
    joints = np.empty(angles.shape)
    joints[0] = root.T
    for j in ORDER[1:]:  # one step per bone, for all frames at once
        parent = PARENTS[j]
        world[j] = world[parent]
        if angles[j].any():  # most bones never move: skip the identity
            world[j] = np.einsum('ikn,kjn->ijn', world[j],
                                 rotation(angles[j]))
        joints[j] = joints[parent] + np.einsum('ikn,kn->in', world[j],
                                               offsets[j])
    return joints.transpose(2, 0, 1)


def _animate(label: int, performer: Dict, num_frames: Tuple[int, int],
             rng: np.random.Generator) -> List[Tuple[np.ndarray, Body]]:
    """One sample's bodies, each with its bone offsets, before kinematics."""
    _, motion, persons = MOTIONS[label]
    offsets = performer['offsets']
    ctx = Context(
        int(rng.integers(num_frames[0], num_frames[1] + 1)),
        performer['speed'] * rng.uniform(.85, 1.15),
        performer['amp'] * rng.uniform(.8, 1.2),
        (np.linalg.norm(offsets[17]), np.linalg.norm(offsets[18])), rng)
    bodies = [Body(ctx) for _ in range(persons)]
    bodies[0].yaw += rng.uniform(-30., 30.) + rng.uniform(-15., 15.) * ctx.u
    motion(ctx, *bodies)
    if rng.random() < .6:  # a fidget of one arm, unrelated to the action
        fidget = interp(ctx.u, np.sort(rng.uniform(0., 1., 4)),
                        [0., 1., 1., 0.])
        side = 'RL'[rng.integers(2)]
        bodies[0].limb(side, 'upper', rx=rng.uniform(0., 60.) * fidget,
                       rz=rng.uniform(-10., 40.) * fidget)
        bodies[0].limb(side, 'fore', rx=rng.uniform(0., 100.) * fidget)
    shapes = [(offsets, performer['style'])]
    shapes += [_draw_body(rng) for _ in bodies[1:]]  # a random partner
    size = (len(STYLED), 3)
    for body, (_, style) in zip(bodies, shapes):
        # This replication's posture, and a slow drift of it, so that no two
        # replications move identically.
        posture = rng.normal(0., 1., size) * STYLE_DEG
        amp, hz, phase = (rng.uniform(0., 1., size) * STYLE_DEG,
                          rng.uniform(.2, 1.2, size),
                          rng.uniform(0., 2 * np.pi, size))
        body.angles += style
        body.angles[:, STYLED] += posture + amp * np.sin(
            2 * np.pi * hz * ctx.t[:, None, None] + phase)
    sample = [(bone_offsets, body)
              for body, (bone_offsets, _) in zip(bodies, shapes)]
    # Kinect's body order is arbitrary: the actor is not always first.
    return sample[::-1] if rng.random() < .5 else sample


def _film(joints: np.ndarray, performer: Dict, camera: int,
          rng: np.random.Generator) -> np.ndarray:
    """(M, T, 25, 3) body-space joints -> float32 camera-space keypoints."""
    keypoint = joints @ performer['views'][camera - 1].T + performer['camera']
    keypoint += rng.normal(0., .005, keypoint.shape)
    keypoint[:, :, TIPS] += rng.normal(0., .015, keypoint[:, :, TIPS].shape)
    return keypoint.astype(np.float32)


def generate_demo_skeletons(num_classes: int = 12,
                            num_subjects: int = 10,
                            repeats: int = 5,
                            num_frames: Tuple[int, int] = (40, 80),
                            val_subjects: Sequence[int] = (2, 5, 8, 10),
                            seed: int = 0) -> Dict:
    """Generate the demo dataset in MMAction2's skeleton pickle schema.

    Every (performer, class, replication) gives one sample. A sample's
    random draws depend only on ``seed`` and its own identity, so the same
    arguments give bit-identical arrays and, e.g., the first 12 classes of a
    16-class dataset equal the default 12-class dataset.

    Args:
        num_classes (int): How many of :data:`DEMO_CLASSES` to use, taken in
            order. Defaults to 12.
        num_subjects (int): Number of performers. Defaults to 10.
        repeats (int): Replications per performer and class. Defaults to 5.
        num_frames (tuple[int, int]): Inclusive range of clip lengths, in
            frames at 30 fps. Defaults to (40, 80).
        val_subjects (Sequence[int]): 1-based performer IDs (the ``Pxxx`` of
            ``frame_dir``) in ``xsub_val``; IDs above ``num_subjects`` are
            ignored. The others are in ``xsub_train``.
            Defaults to (2, 5, 8, 10).
        seed (int): Non-negative base seed. Defaults to 0.

    Returns:
        dict: ``split`` maps ``'xsub_train'`` and ``'xsub_val'`` to lists of
        ``frame_dir`` names; ``annotations`` is a list of dicts with
        ``frame_dir`` (str), ``label`` (0-based int), ``keypoint``
        (float32 array of shape (M, T, 25, 3) in metres, M = 2 for
        interactions, in either order, and 1 otherwise) and ``total_frames``
        (int, T).
    """
    if not 1 <= num_classes <= len(DEMO_CLASSES):
        raise ValueError(f'num_classes must be in [1, {len(DEMO_CLASSES)}], '
                         f'got {num_classes}')
    if repeats < 1 or seed < 0 or not 2 <= num_frames[0] <= num_frames[1]:
        raise ValueError('need repeats >= 1, seed >= 0 and '
                         f'2 <= num_frames[0] <= num_frames[1], got '
                         f'{repeats}, {seed}, {num_frames}')
    val = set(val_subjects) & set(range(1, num_subjects + 1))
    if not val or len(val) == num_subjects:
        raise ValueError(f'val_subjects {tuple(val_subjects)} leave a split '
                         f'empty among {num_subjects} subjects')
    samples = []
    for subject in range(1, num_subjects + 1):
        performer = _draw_performer(np.random.default_rng([seed, 0, subject]))
        for label in range(num_classes):
            for rep in range(1, repeats + 1):
                rng = np.random.default_rng([seed, 1, subject, label, rep])
                samples.append((subject, label, rep, performer, rng,
                                _animate(label, performer, num_frames, rng)))
    # Kinematics is per frame: one pass over every frame of every body.
    bodies = [body for *_, sample in samples for body in sample]
    joints = _forward_kinematics(
        np.concatenate([np.broadcast_to(o, b.angles.shape)
                        for o, b in bodies]),
        np.concatenate([b.angles for _, b in bodies]),
        np.concatenate([b.pos for _, b in bodies]),
        np.concatenate([b.yaw for _, b in bodies]))
    lengths = [len(b.yaw) for _, b in bodies]
    joints = iter(np.split(joints, np.cumsum(lengths)[:-1]))

    split: Dict[str, List[str]] = dict(xsub_train=[], xsub_val=[])
    annotations = []
    for subject, label, rep, performer, rng, sample in samples:
        camera = (rep - 1) % 3 + 1
        keypoint = _film(np.stack([next(joints) for _ in sample]), performer,
                         camera, rng)
        frame_dir = (f'S001C{camera:03d}P{subject:03d}R{rep:03d}'
                     f'A{label + 1:03d}')
        split['xsub_val' if subject in val else 'xsub_train'].append(frame_dir)
        annotations.append(
            dict(frame_dir=frame_dir, label=label, keypoint=keypoint,
                 total_frames=keypoint.shape[1]))
    return dict(split=split, annotations=annotations)


@DATASETS.register_module()
class DemoSkeletonDataset(SkeletonPoseDataset):
    """The demo dataset of :func:`generate_demo_skeletons`, built in memory.

    No file is read or written: every process (and every distributed rank)
    generates the same samples from the same arguments in about a second.
    ``metainfo['classes']`` holds the class names.

    Args:
        pipeline (list[dict | callable]): A sequence of data transforms.
        split (str, optional): ``'xsub_train'``, ``'xsub_val'``, or None for
            every sample. Defaults to ``'xsub_train'``.
        ann_file (str): Unused; kept so configs written for
            :class:`PoseDataset` work unchanged. mmengine's BaseDataset
            accepts an empty path. Defaults to ''.
        num_classes (int): See :func:`generate_demo_skeletons`.
            Defaults to 12.
        num_subjects (int): Defaults to 10.
        repeats (int): Defaults to 5.
        seed (int): Defaults to 0.
        **kwargs: Passed to :class:`PoseDataset` (``test_mode``, ...).
    """

    def __init__(self,
                 pipeline: List[Union[Dict, Callable]],
                 split: Optional[str] = 'xsub_train',
                 ann_file: str = '',
                 num_classes: int = 12,
                 num_subjects: int = 10,
                 repeats: int = 5,
                 seed: int = 0,
                 **kwargs) -> None:
        self._demo_args = dict(num_classes=num_classes,
                               num_subjects=num_subjects, repeats=repeats,
                               seed=seed)
        metainfo = dict(kwargs.pop('metainfo', None) or {})
        metainfo.setdefault('classes', DEMO_CLASSES[:num_classes])
        super().__init__(
            ann_file=ann_file, pipeline=pipeline, split=split,
            num_classes=num_classes, metainfo=metainfo, **kwargs)

    def read_annotations(self) -> List[Dict]:
        """Generate the samples and keep those of ``self.split``."""
        data = generate_demo_skeletons(**self._demo_args)
        if self.split is None:
            return data['annotations']
        if self.split not in data['split']:
            raise KeyError(f'split must be one of {list(data["split"])}, '
                           f'got {self.split!r}')
        keep = set(data['split'][self.split])
        return [a for a in data['annotations'] if a['frame_dir'] in keep]
