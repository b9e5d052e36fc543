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
from mmaction.datasets import PoseDataset
from mmaction.registry import DATASETS

_FPS = 30.0
# NTU's bone tree (0-based), as in mmaction's 'nturgb+d' graph.
_PARENTS = (-1, 0, 20, 2, 20, 4, 5, 6, 20, 8, 9, 10, 0, 12, 13, 14, 0, 16, 17,
            18, 1, 7, 7, 11, 11)
_ORDER = (0, 1, 20, 2, 3, 4, 5, 6, 7, 21, 22, 8, 9, 10, 11, 23, 24, 12, 13, 14,
          15, 16, 17, 18, 19)  # every parent before its children
# Rest pose, arms hanging: offset of each joint from its parent, in metres.
_REST = np.array([
    (0, 0, 0), (0, .25, 0), (0, .07, 0), (0, .13, 0),                 # 0-3
    (-.17, -.04, 0), (0, -.28, 0), (0, -.25, 0), (0, -.07, 0),        # 4-7
    (.17, -.04, 0), (0, -.28, 0), (0, -.25, 0), (0, -.07, 0),         # 8-11
    (-.09, -.04, 0), (0, -.42, 0), (0, -.40, 0), (0, -.05, -.12),     # 12-15
    (.09, -.04, 0), (0, -.42, 0), (0, -.40, 0), (0, -.05, -.12),      # 16-19
    (0, .22, 0), (0, -.07, 0), (0, -.03, -.04), (0, -.07, 0), (0, -.03, -.04)])
_SEGMENTS = (  # joints whose bones share one per-performer length factor
    [1, 20, 2, 3], [4, 8], [12, 16], [5, 6, 7, 21, 22, 9, 10, 11, 23, 24],
    [13, 14, 15, 17, 18, 19])
_TIPS = slice(21, 25)  # hand tips and thumbs: a Kinect's noisiest joints
# Bones whose posture varies between people and replications, and by how much
# (degrees): arms most, legs least, so that feet stay planted.
_STYLED = [1, 20, 2, 3, 5, 6, 9, 10, 13, 14, 17, 18]
_STYLE_DEG = np.array([3, 3, 6, 6, 10, 10, 10, 10, 3, 3, 3, 3.])[:, None]
# A limb's bones are named by the joint they end at; left mirrors right.
_LIMBS = dict(R=dict(upper=9, fore=10, thigh=17, shank=18, foot=19),
              L=dict(upper=5, fore=6, thigh=13, shank=14, foot=15))
_CAMERA_YAW = (0., -45., 45.)
_Angle = Union[float, np.ndarray]  # degrees, a constant or one per frame
_RAMP = 0.15  # ramp width of an action's envelope, in clip fractions


def _ease(x: np.ndarray) -> np.ndarray:
    x = np.clip(x, 0., 1.)
    return x * x * (3. - 2. * x)


def _interp(x: np.ndarray, times: np.ndarray, values: Sequence) -> np.ndarray:
    """Eased (zero-velocity at every key) interpolation through keyframes."""
    values = np.asarray(values, dtype=np.float64)
    i = np.clip(np.searchsorted(times, x, side='right') - 1, 0, len(times) - 2)
    f = _ease((x - times[i]) / (times[i + 1] - times[i]))
    return values[i] + (values[i + 1] - values[i]) * f


def _rotation(angles: np.ndarray) -> np.ndarray:
    """(3, ...) angles in degrees about x, y, z -> (3, 3, ...) ``Ry Rz Rx``.

    Applied to a bone, ``rx`` swings a hanging limb forward (towards the
    camera, ``-z``) and tilts an upright one backwards, ``rz`` swings a
    hanging limb towards ``+x`` (the right side) and ``ry`` turns about the
    vertical, moving a forward-pointing limb towards ``-x``. The matrix axes
    lead so that batches are contiguous: numpy multiplies stacks of 3x3
    matrices several times faster this way than with ``matmul``.
    """
    rad = np.deg2rad(angles)
    (cx, cy, cz), (sx, sy, sz) = np.cos(rad), np.sin(rad)
    return np.stack([
        cy * cz, sy * sx - cy * sz * cx, cy * sz * sx + sy * cx,
        sz, cz * cx, -cz * sx,
        -sy * cz, sy * sz * cx + cy * sx, cy * cx - sy * sz * sx,
    ]).reshape((3, 3) + rad.shape[1:])


class _Body:
    """One person's animation: bone angles, root position and heading.

    Angles are degrees in the right-side convention of :func:`_rotation`;
    :meth:`limb` mirrors them for the left side.
    """

    def __init__(self, ctx: '_Context') -> None:
        self.ctx = ctx
        self.angles = np.zeros((ctx.num_frames, 25, 3))
        self.pos = np.zeros((ctx.num_frames, 3))
        self.yaw = np.zeros(ctx.num_frames)

    def bone(self, joint: int, rx: _Angle = 0., ry: _Angle = 0.,
             rz: _Angle = 0.) -> None:
        """Add angles to the bone ending at ``joint`` (torso, head)."""
        self.angles[:, joint, 0] += rx
        self.angles[:, joint, 1] += ry
        self.angles[:, joint, 2] += rz

    def limb(self, sides: str, bone: str, rx: _Angle = 0., ry: _Angle = 0.,
             rz: _Angle = 0.) -> None:
        """Add angles to ``bone`` of each of ``sides`` ('R', 'L' or 'RL')."""
        for side in sides:
            sign = 1. if side == 'R' else -1.
            self.bone(_LIMBS[side][bone], rx, sign * np.asarray(ry),
                      sign * np.asarray(rz))

    def crouch(self, sides: str, hip: _Angle, knee: _Angle) -> None:
        """Bend hips and knees (``knee`` <= 0) with the feet flat.

        The root drops by what the bend lifts the feet, so they stay on the
        floor.
        """
        self.limb(sides, 'thigh', rx=hip)
        self.limb(sides, 'shank', rx=knee)
        self.limb(sides, 'foot', rx=-(np.asarray(hip) + knee))
        thigh, shank = self.ctx.leg_lengths
        self.pos[:, 1] -= (thigh * (1 - np.cos(np.deg2rad(hip))) +
                           shank * (1 - np.cos(np.deg2rad(hip + knee))))


class _Context:
    """Time bases and random draws a motion reads for one sample."""

    def __init__(self, num_frames: int, speed: float, amp: float,
                 leg_lengths: Tuple[float, float],
                 rng: np.random.Generator) -> None:
        self.num_frames, self.speed, self.amp = num_frames, speed, amp
        self.leg_lengths, self.rng = leg_lengths, rng
        # Warped time: the pace varies within the clip (monotonic, |w| < 1).
        frac = np.linspace(0., 1., num_frames)
        self.u = frac + rng.uniform(-.6, .6) * np.sin(2 * np.pi * frac) / (
            2 * np.pi)
        self.t = self.u * (num_frames - 1) / _FPS
        self.start, self.end = rng.uniform(0., .3), rng.uniform(.7, 1.)
        self.env = (_ease((self.u - self.start) / _RAMP) *
                    _ease((self.end - self.u) / _RAMP))
        self.phase = rng.uniform(0., 2 * np.pi)
        self._times: Dict[int, np.ndarray] = {}

    def osc(self, hz: float, phase: float = 0.) -> np.ndarray:
        """A sine at ``hz`` times the performer's speed."""
        return np.sin(2 * np.pi * hz * self.speed * self.t + self.phase +
                      phase)

    def keys(self, *values: float) -> np.ndarray:
        """Keyframes spread, with jitter, over this sample's action window.

        Every call with the same number of keys in one sample shares the key
        times, so channels keyed together stay in sync.
        """
        n = len(values)
        if n not in self._times:
            jitter = self.rng.uniform(-.2, .2, n) / (n - 1)
            jitter[[0, -1]] = 0.
            frac = np.linspace(0., 1., n) + jitter
            self._times[n] = self.start + (self.end - self.start) * frac
        return _interp(self.u, self._times[n], values)


# Motions: each animates its bodies (two for interactions, the actor first)
# only by adding angles and moving roots, so they compose with the posture,
# drift and fidgets added afterwards.
def _wave(sides: str) -> Callable:
    def motion(c: _Context, p: _Body) -> None:
        p.limb(sides, 'upper', rx=15 * c.env, rz=(80 + 25 * c.amp) * c.env)
        p.limb(sides, 'fore', rz=c.env * (65 + 35 * c.amp * c.osc(2.2)))
    return motion


def _punch(c: _Context, p: _Body) -> None:
    hit = np.maximum(c.osc(1.3), 0.) ** 3 * c.env  # <= env: stays in guard
    p.limb('RL', 'upper', rx=45 * c.env, rz=10 * c.env)
    p.limb('RL', 'fore', rx=110 * c.env)
    p.limb('R', 'upper', rx=(40 + 15 * c.amp) * hit, rz=-10 * hit)
    p.limb('R', 'fore', rx=-110 * hit)
    p.bone(1, ry=15 * hit)  # the torso drives the right shoulder forward


def _throw(c: _Context, p: _Body) -> None:
    # rest -> wind-up behind the head -> release -> follow-through -> rest
    p.limb('R', 'upper', rx=c.keys(0, 150 + 20 * c.amp, 70, 15, 0))
    p.limb('R', 'fore', rx=c.keys(0, 110, 10, 25, 0))
    p.limb('L', 'upper', rx=c.keys(0, 45, 20, 10, 0))
    p.bone(1, rx=c.keys(0, 8, -20, -8, 0), ry=c.keys(0, -25, 20, 5, 0))


def _kick(c: _Context, p: _Body) -> None:
    p.limb('R', 'thigh', rx=c.keys(0, 50, 70 + 20 * c.amp, 45, 0))
    p.limb('R', 'shank', rx=c.keys(0, -95, -10, -80, 0))
    p.limb('RL', 'upper', rz=25 * c.env)
    p.bone(1, rx=c.keys(0, 5, 12, 5, 0))


def _squat(c: _Context, p: _Body) -> None:
    once = c.rng.random() < .5
    depth = c.keys(0, 1, 1, 0) if once else c.keys(0, 1, .15, 1, 0)
    depth = depth * min(c.amp, 1.)
    p.crouch('RL', 95 * depth, -115 * depth)
    p.bone(1, rx=-35 * depth)
    p.limb('RL', 'upper', rx=80 * depth)
    p.pos[:, 2] += .08 * depth  # hips back, for balance


def _jump(c: _Context, p: _Body) -> None:
    jumps = 1 + int(c.rng.random() < .5)
    q = (_ease((c.u - c.start) / (c.end - c.start)) * jumps) % 1.
    times = np.array([0., .3, .45, .62, .8, 1.])  # stand crouch off apex land
    bend = _interp(q, times, [0, 1, 0, 0, 1, 0])
    p.crouch('RL', 55 * bend, -90 * bend)
    p.pos[:, 1] += (.2 + .1 * c.amp) * np.clip(1 - ((q - .625) / .175) ** 2,
                                                 0., None)
    p.limb('RL', 'upper', rx=_interp(q, times, [0, -40, 160, 140, 20, 0]))
    p.bone(1, rx=-25 * bend)


def _bow(c: _Context, p: _Body) -> None:
    b = c.keys(0, 1, 1, 0) * c.amp
    p.bone(1, rx=-40 * b)
    p.bone(20, rx=-20 * b)
    p.bone(3, rx=-15 * b)
    p.limb('RL', 'upper', rx=45 * b)  # arms keep hanging
    p.pos[:, 2] += .06 * b


def _reach_down(c: _Context, p: _Body) -> None:
    b = c.keys(0, 1, 1, 0)
    p.bone(1, rx=-50 * b)
    p.bone(20, rx=-25 * b)
    p.crouch('RL', 35 * b, -45 * b)
    p.limb('R', 'upper', rx=(60 + 10 * c.osc(1.5)) * b, rz=-10 * b)
    p.limb('L', 'upper', rx=30 * b)
    p.pos[:, 2] += .1 * b


def _clap(c: _Context, p: _Body) -> None:
    apart = .5 + .5 * c.osc(2.4)
    p.limb('RL', 'upper', rx=65 * c.env, ry=(38 - 28 * apart) * c.env)
    p.limb('RL', 'fore', rx=35 * c.env)


def _raise_arms(c: _Context, p: _Body) -> None:
    up = c.keys(0, 1, 1, 0)
    p.limb('RL', 'upper', rz=(150 + 20 * c.amp) * up)
    p.limb('RL', 'fore', rz=10 * up)


def _walk(c: _Context, p: _Body) -> None:
    stride = c.osc(.9)
    for side, sign in (('R', 1.), ('L', -1.)):
        lift = np.maximum(sign * stride, 0.) * c.env
        p.limb(side, 'thigh', rx=(30 + 15 * c.amp) * lift)
        p.limb(side, 'shank', rx=-75 * lift)
        p.limb(side, 'upper', rx=-22 * sign * stride * c.env)
    p.pos[:, 1] += .02 * np.abs(stride) * c.env


def _face_each_other(a: _Body, b: _Body, gap: float) -> None:
    a.pos[:, 0], a.yaw[:] = -gap / 2, -90.  # a faces +x, b faces -x
    b.pos[:, 0], b.yaw[:] = gap / 2, 90.


def _handshake(c: _Context, a: _Body, b: _Body) -> None:
    _face_each_other(a, b, c.rng.uniform(.95, 1.1))
    for p in (a, b):
        p.limb('R', 'upper', rx=45 * c.env + 8 * c.osc(2.5) * c.env ** 4,
               ry=20 * c.env)
        p.limb('R', 'fore', rx=40 * c.env)


def _push(c: _Context, a: _Body, b: _Body) -> None:
    _face_each_other(a, b, c.rng.uniform(.75, .9))
    a.limb('RL', 'upper', rx=c.keys(0, 60, 95, 90, 0))
    a.limb('RL', 'fore', rx=c.keys(0, 80, 5, 10, 0))
    a.bone(1, rx=c.keys(0, -5, -20, -10, 0))
    a.pos[:, 0] += c.keys(0, 0, .15, .15, .1)
    b.pos[:, 0] += (.25 + .1 * c.amp) * c.keys(0, 0, 1, 1, 1)
    b.bone(1, rx=c.keys(0, 0, 20, 5, 0))
    b.limb('RL', 'upper', rz=c.keys(0, 0, 35, 15, 0))


def _hug(c: _Context, a: _Body, b: _Body) -> None:
    gap = c.rng.uniform(1.4, 1.8)
    _face_each_other(a, b, gap)
    close, wrap = c.keys(0, 1, 1, 1), c.keys(0, 0, 1, 0)
    step = 4 * close * (1 - close) * c.osc(1.2)
    for p, sign in ((a, 1.), (b, -1.)):
        p.pos[:, 0] += sign * (gap / 2 - .22) * close
        p.limb('R', 'thigh', rx=30 * np.maximum(step, 0.))
        p.limb('L', 'thigh', rx=30 * np.maximum(-step, 0.))
        p.limb('RL', 'upper', rx=80 * wrap, ry=45 * wrap)
        p.limb('RL', 'fore', rx=20 * wrap, ry=40 * wrap)


# (name, motion, persons); the default 12 classes are the first 12.
_MOTIONS = (
    ('wave right hand', _wave('R'), 1), ('wave left hand', _wave('L'), 1),
    ('punch', _punch, 1), ('throw', _throw, 1), ('kick', _kick, 1),
    ('squat', _squat, 1), ('jump', _jump, 1), ('bow', _bow, 1),
    ('handshake', _handshake, 2), ('push', _push, 2), ('clap', _clap, 1),
    ('wave both hands', _wave('RL'), 1), ('raise both arms', _raise_arms, 1),
    ('reach down', _reach_down, 1), ('walk in place', _walk, 1),
    ('hug', _hug, 2))
DEMO_CLASSES: Tuple[str, ...] = tuple(name for name, _, _ in _MOTIONS)


def _draw_body(rng: np.random.Generator) -> Tuple[np.ndarray, np.ndarray]:
    """A person's bone offsets (25, 3) and resting posture angles (25, 3)."""
    offsets = _REST * rng.uniform(.85, 1.1)
    for joints in _SEGMENTS:
        offsets[joints] *= rng.uniform(.9, 1.1)
    style = np.zeros((25, 3))
    style[_STYLED] = rng.normal(0., .7, (len(_STYLED), 3)) * _STYLE_DEG
    return offsets, style


def _draw_performer(rng: np.random.Generator) -> Dict:
    """Everything a performer keeps across classes and replications."""
    offsets, style = _draw_body(rng)
    yaw, pitch = rng.uniform(-30., 30.), rng.uniform(-8., 8.)
    # Per camera, turn the scene to its view, then tilt it by its pitch.
    views = [_rotation(np.array([pitch, 0., 0.])) @
             _rotation(np.array([0., cam_yaw + yaw, 0.]))
             for cam_yaw in _CAMERA_YAW]
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
        angles (np.ndarray): (N, 25, 3) bone angles, see :func:`_rotation`.
        root (np.ndarray): (N, 3) position of joint 0.
        yaw (np.ndarray): (N, ) heading in degrees.
    """
    angles = np.ascontiguousarray(angles.transpose(1, 2, 0))  # (25, 3, N)
    offsets = np.ascontiguousarray(offsets.transpose(1, 2, 0))
    zero = np.zeros_like(yaw)
    heading = _rotation(np.stack([zero, yaw, zero]))
    world = {0: np.einsum('ikn,kjn->ijn', heading, _rotation(angles[0]))}
    joints = np.empty(angles.shape)
    joints[0] = root.T
    for j in _ORDER[1:]:  # one step per bone, for all frames at once
        parent = _PARENTS[j]
        world[j] = world[parent]
        if angles[j].any():  # most bones never move: skip the identity
            world[j] = np.einsum('ikn,kjn->ijn', world[j],
                                 _rotation(angles[j]))
        joints[j] = joints[parent] + np.einsum('ikn,kn->in', world[j],
                                               offsets[j])
    return joints.transpose(2, 0, 1)


def _animate(label: int, performer: Dict, num_frames: Tuple[int, int],
             rng: np.random.Generator) -> List[Tuple[np.ndarray, _Body]]:
    """One sample's bodies, each with its bone offsets, before kinematics."""
    _, motion, persons = _MOTIONS[label]
    offsets = performer['offsets']
    ctx = _Context(
        int(rng.integers(num_frames[0], num_frames[1] + 1)),
        performer['speed'] * rng.uniform(.85, 1.15),
        performer['amp'] * rng.uniform(.8, 1.2),
        (np.linalg.norm(offsets[17]), np.linalg.norm(offsets[18])), rng)
    bodies = [_Body(ctx) for _ in range(persons)]
    bodies[0].yaw += rng.uniform(-30., 30.) + rng.uniform(-15., 15.) * ctx.u
    motion(ctx, *bodies)
    if rng.random() < .6:  # a fidget of one arm, unrelated to the action
        fidget = _interp(ctx.u, np.sort(rng.uniform(0., 1., 4)),
                         [0., 1., 1., 0.])
        side = 'RL'[rng.integers(2)]
        bodies[0].limb(side, 'upper', rx=rng.uniform(0., 60.) * fidget,
                       rz=rng.uniform(-10., 40.) * fidget)
        bodies[0].limb(side, 'fore', rx=rng.uniform(0., 100.) * fidget)
    shapes = [(offsets, performer['style'])]
    shapes += [_draw_body(rng) for _ in bodies[1:]]  # a random partner
    size = (len(_STYLED), 3)
    for body, (_, style) in zip(bodies, shapes):
        # This replication's posture, and a slow drift of it, so that no two
        # replications move identically.
        posture = rng.normal(0., 1., size) * _STYLE_DEG
        amp, hz, phase = (rng.uniform(0., 1., size) * _STYLE_DEG,
                          rng.uniform(.2, 1.2, size),
                          rng.uniform(0., 2 * np.pi, size))
        body.angles += style
        body.angles[:, _STYLED] += posture + amp * np.sin(
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
    keypoint[:, :, _TIPS] += rng.normal(0., .015, keypoint[:, :, _TIPS].shape)
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
class DemoSkeletonDataset(PoseDataset):
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

    def load_data_list(self) -> List[Dict]:
        """Generate the samples and keep those of ``self.split``."""
        data = generate_demo_skeletons(**self._demo_args)
        if self.split is None:
            return data['annotations']
        if self.split not in data['split']:
            raise KeyError(f'split must be one of {list(data["split"])}, '
                           f'got {self.split!r}')
        keep = set(data['split'][self.split])
        return [a for a in data['annotations'] if a['frame_dir'] in keep]
