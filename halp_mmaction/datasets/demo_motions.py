"""The motion library of the demo dataset: NTU's skeleton, and one function
per action class that animates joint angles over time.

Used by :mod:`halp_mmaction.datasets.demo_skeleton`, which draws performers,
runs forward kinematics and films the result.
"""
from typing import Callable, Dict, Sequence, Tuple, Union

import numpy as np

_FPS = 30.0
# NTU's bone tree (0-based), as in mmaction's 'nturgb+d' graph.
PARENTS = (-1, 0, 20, 2, 20, 4, 5, 6, 20, 8, 9, 10, 0, 12, 13, 14, 0, 16, 17,
           18, 1, 7, 7, 11, 11)
ORDER = (0, 1, 20, 2, 3, 4, 5, 6, 7, 21, 22, 8, 9, 10, 11, 23, 24, 12, 13, 14,
         15, 16, 17, 18, 19)  # every parent before its children
# Rest pose, arms hanging: offset of each joint from its parent, in metres.
REST = np.array([
    (0, 0, 0), (0, .25, 0), (0, .07, 0), (0, .13, 0),                 # 0-3
    (-.17, -.04, 0), (0, -.28, 0), (0, -.25, 0), (0, -.07, 0),        # 4-7
    (.17, -.04, 0), (0, -.28, 0), (0, -.25, 0), (0, -.07, 0),         # 8-11
    (-.09, -.04, 0), (0, -.42, 0), (0, -.40, 0), (0, -.05, -.12),     # 12-15
    (.09, -.04, 0), (0, -.42, 0), (0, -.40, 0), (0, -.05, -.12),      # 16-19
    (0, .22, 0), (0, -.07, 0), (0, -.03, -.04), (0, -.07, 0), (0, -.03, -.04)])
SEGMENTS = (  # joints whose bones share one per-performer length factor
    [1, 20, 2, 3], [4, 8], [12, 16], [5, 6, 7, 21, 22, 9, 10, 11, 23, 24],
    [13, 14, 15, 17, 18, 19])
TIPS = slice(21, 25)  # hand tips and thumbs: a Kinect's noisiest joints
# Bones whose posture varies between people and replications, and by how much
# (degrees): arms most, legs least, so that feet stay planted.
STYLED = [1, 20, 2, 3, 5, 6, 9, 10, 13, 14, 17, 18]
STYLE_DEG = np.array([3, 3, 6, 6, 10, 10, 10, 10, 3, 3, 3, 3.])[:, None]
# A limb's bones are named by the joint they end at; left mirrors right.
_LIMBS = dict(R=dict(upper=9, fore=10, thigh=17, shank=18, foot=19),
              L=dict(upper=5, fore=6, thigh=13, shank=14, foot=15))
CAMERA_YAW = (0., -45., 45.)
_Angle = Union[float, np.ndarray]  # degrees, a constant or one per frame
_RAMP = 0.15  # ramp width of an action's envelope, in clip fractions


def _ease(x: np.ndarray) -> np.ndarray:
    x = np.clip(x, 0., 1.)
    return x * x * (3. - 2. * x)


def interp(x: np.ndarray, times: np.ndarray, values: Sequence) -> np.ndarray:
    """Eased (zero-velocity at every key) interpolation through keyframes."""
    values = np.asarray(values, dtype=np.float64)
    i = np.clip(np.searchsorted(times, x, side='right') - 1, 0, len(times) - 2)
    f = _ease((x - times[i]) / (times[i + 1] - times[i]))
    return values[i] + (values[i + 1] - values[i]) * f


def rotation(angles: np.ndarray) -> np.ndarray:
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


class Body:
    """One person's animation: bone angles, root position and heading.

    Angles are degrees in the right-side convention of :func:`rotation`;
    :meth:`limb` mirrors them for the left side.
    """

    def __init__(self, ctx: 'Context') -> None:
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


class Context:
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
        return interp(self.u, self._times[n], values)


# Motions: each animates its bodies (two for interactions, the actor first)
# only by adding angles and moving roots, so they compose with the posture,
# drift and fidgets added afterwards.
def _wave(sides: str) -> Callable:
    def motion(c: Context, p: Body) -> None:
        p.limb(sides, 'upper', rx=15 * c.env, rz=(80 + 25 * c.amp) * c.env)
        p.limb(sides, 'fore', rz=c.env * (65 + 35 * c.amp * c.osc(2.2)))
    return motion


def _punch(c: Context, p: Body) -> None:
    hit = np.maximum(c.osc(1.3), 0.) ** 3 * c.env  # <= env: stays in guard
    p.limb('RL', 'upper', rx=45 * c.env, rz=10 * c.env)
    p.limb('RL', 'fore', rx=110 * c.env)
    p.limb('R', 'upper', rx=(40 + 15 * c.amp) * hit, rz=-10 * hit)
    p.limb('R', 'fore', rx=-110 * hit)
    p.bone(1, ry=15 * hit)  # the torso drives the right shoulder forward


def _throw(c: Context, p: Body) -> None:
    # rest -> wind-up behind the head -> release -> follow-through -> rest
    p.limb('R', 'upper', rx=c.keys(0, 150 + 20 * c.amp, 70, 15, 0))
    p.limb('R', 'fore', rx=c.keys(0, 110, 10, 25, 0))
    p.limb('L', 'upper', rx=c.keys(0, 45, 20, 10, 0))
    p.bone(1, rx=c.keys(0, 8, -20, -8, 0), ry=c.keys(0, -25, 20, 5, 0))


def _kick(c: Context, p: Body) -> None:
    p.limb('R', 'thigh', rx=c.keys(0, 50, 70 + 20 * c.amp, 45, 0))
    p.limb('R', 'shank', rx=c.keys(0, -95, -10, -80, 0))
    p.limb('RL', 'upper', rz=25 * c.env)
    p.bone(1, rx=c.keys(0, 5, 12, 5, 0))


def _squat(c: Context, p: Body) -> None:
    once = c.rng.random() < .5
    depth = c.keys(0, 1, 1, 0) if once else c.keys(0, 1, .15, 1, 0)
    depth = depth * min(c.amp, 1.)
    p.crouch('RL', 95 * depth, -115 * depth)
    p.bone(1, rx=-35 * depth)
    p.limb('RL', 'upper', rx=80 * depth)
    p.pos[:, 2] += .08 * depth  # hips back, for balance


def _jump(c: Context, p: Body) -> None:
    jumps = 1 + int(c.rng.random() < .5)
    q = (_ease((c.u - c.start) / (c.end - c.start)) * jumps) % 1.
    times = np.array([0., .3, .45, .62, .8, 1.])  # stand crouch off apex land
    bend = interp(q, times, [0, 1, 0, 0, 1, 0])
    p.crouch('RL', 55 * bend, -90 * bend)
    p.pos[:, 1] += (.2 + .1 * c.amp) * np.clip(1 - ((q - .625) / .175) ** 2,
                                                 0., None)
    p.limb('RL', 'upper', rx=interp(q, times, [0, -40, 160, 140, 20, 0]))
    p.bone(1, rx=-25 * bend)


def _bow(c: Context, p: Body) -> None:
    b = c.keys(0, 1, 1, 0) * c.amp
    p.bone(1, rx=-40 * b)
    p.bone(20, rx=-20 * b)
    p.bone(3, rx=-15 * b)
    p.limb('RL', 'upper', rx=45 * b)  # arms keep hanging
    p.pos[:, 2] += .06 * b


def _reach_down(c: Context, p: Body) -> None:
    b = c.keys(0, 1, 1, 0)
    p.bone(1, rx=-50 * b)
    p.bone(20, rx=-25 * b)
    p.crouch('RL', 35 * b, -45 * b)
    p.limb('R', 'upper', rx=(60 + 10 * c.osc(1.5)) * b, rz=-10 * b)
    p.limb('L', 'upper', rx=30 * b)
    p.pos[:, 2] += .1 * b


def _clap(c: Context, p: Body) -> None:
    apart = .5 + .5 * c.osc(2.4)
    p.limb('RL', 'upper', rx=65 * c.env, ry=(38 - 28 * apart) * c.env)
    p.limb('RL', 'fore', rx=35 * c.env)


def _raise_arms(c: Context, p: Body) -> None:
    up = c.keys(0, 1, 1, 0)
    p.limb('RL', 'upper', rz=(150 + 20 * c.amp) * up)
    p.limb('RL', 'fore', rz=10 * up)


def _walk(c: Context, p: Body) -> None:
    stride = c.osc(.9)
    for side, sign in (('R', 1.), ('L', -1.)):
        lift = np.maximum(sign * stride, 0.) * c.env
        p.limb(side, 'thigh', rx=(30 + 15 * c.amp) * lift)
        p.limb(side, 'shank', rx=-75 * lift)
        p.limb(side, 'upper', rx=-22 * sign * stride * c.env)
    p.pos[:, 1] += .02 * np.abs(stride) * c.env


def _face_each_other(a: Body, b: Body, gap: float) -> None:
    a.pos[:, 0], a.yaw[:] = -gap / 2, -90.  # a faces +x, b faces -x
    b.pos[:, 0], b.yaw[:] = gap / 2, 90.


def _handshake(c: Context, a: Body, b: Body) -> None:
    _face_each_other(a, b, c.rng.uniform(.95, 1.1))
    for p in (a, b):
        p.limb('R', 'upper', rx=45 * c.env + 8 * c.osc(2.5) * c.env ** 4,
               ry=20 * c.env)
        p.limb('R', 'fore', rx=40 * c.env)


def _push(c: Context, a: Body, b: Body) -> None:
    _face_each_other(a, b, c.rng.uniform(.75, .9))
    a.limb('RL', 'upper', rx=c.keys(0, 60, 95, 90, 0))
    a.limb('RL', 'fore', rx=c.keys(0, 80, 5, 10, 0))
    a.bone(1, rx=c.keys(0, -5, -20, -10, 0))
    a.pos[:, 0] += c.keys(0, 0, .15, .15, .1)
    b.pos[:, 0] += (.25 + .1 * c.amp) * c.keys(0, 0, 1, 1, 1)
    b.bone(1, rx=c.keys(0, 0, 20, 5, 0))
    b.limb('RL', 'upper', rz=c.keys(0, 0, 35, 15, 0))


def _hug(c: Context, a: Body, b: Body) -> None:
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
MOTIONS = (
    ('wave right hand', _wave('R'), 1), ('wave left hand', _wave('L'), 1),
    ('punch', _punch, 1), ('throw', _throw, 1), ('kick', _kick, 1),
    ('squat', _squat, 1), ('jump', _jump, 1), ('bow', _bow, 1),
    ('handshake', _handshake, 2), ('push', _push, 2), ('clap', _clap, 1),
    ('wave both hands', _wave('RL'), 1), ('raise both arms', _raise_arms, 1),
    ('reach down', _reach_down, 1), ('walk in place', _walk, 1),
    ('hug', _hug, 2))
DEMO_CLASSES: Tuple[str, ...] = tuple(name for name, _, _ in MOTIONS)
