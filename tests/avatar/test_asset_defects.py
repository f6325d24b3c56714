"""Mesh defects of the avatar file that every frame showed, measured on the asset as built:
see-through gaps between hair and scalp, a zigzag seam where the sleeve meets the hand, and a fold
at the shoulder when the arm is raised (asset_hair.py, asset_colors.py, asset_weights.py).

The bounds sit between the old asset (MakeHuman's hair hull, per-vertex sleeve rule, raw weights)
and the current one; the old figures are in each test's comment.
"""

from __future__ import annotations

import numpy as np
import pytest

from signavatar.avatar.asset_colors import SHIRT, SKIN
from signavatar.avatar.rig import DEFAULT_ASSET, Avatar, load_avatar
from signavatar.gloss_to_pose.poser import REST, Poser
from signavatar.lexicon import HandPose, Lexicon, load_lexicon
from signavatar.pose_to_frames.renderer import Camera, OffscreenRenderer
from signavatar.typed import BoolArray, FloatArray, IntArray

RED = (220, 20, 20)
SIZE = 384
#: the right hand at the temple: the wrist at head height, the upper arm raised above the shoulder
HAND_AT_TEMPLE = HandPose("B", "temple", (0.03, 0.0, 0.0), "forward", "up")


@pytest.fixture(scope="module")
def avatar() -> Avatar:
    return load_avatar()


@pytest.fixture(scope="module")
def groups() -> np.ndarray:
    return np.load(DEFAULT_ASSET, allow_pickle=False)["vertex_group"]


def _edges(faces: IntArray) -> IntArray:
    return np.sort(np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]]), axis=1)


def _components(faces: IntArray) -> int:
    """Connected pieces of a triangle sheet (union-find over its edges)."""
    parent = {int(v): int(v) for v in np.unique(faces)}

    def find(v: int) -> int:
        while parent[v] != v:
            parent[v] = parent[parent[v]]
            v = parent[v]
        return v

    for a, b in _edges(faces).tolist():
        parent[find(a)] = find(b)
    return len({find(v) for v in parent})


def hair_gap_pixels(avatar: Avatar) -> dict[int, int]:
    """Background pixels inside the head's outline, per view (degrees about the vertical axis:
    0 front, 45 three-quarter, 90 side, 180 back), over the rows from the ear tops to the crown,
    where every row of a solid head is one unbroken run of avatar pixels."""
    sk = avatar.skeleton
    r, p = sk.forward(sk.identity(1)[0])
    pos, nrm = avatar.deform(r, p, None)
    head = p[sk.index("head")]
    eye_y = p[sk.index("eye.L")][1]
    target = head + np.array([0.0, 0.09, 0.0])
    camera = Camera(target=(float(target[0]), float(target[1]), float(target[2])), distance=0.8)
    gaps = {}
    with OffscreenRenderer(avatar, SIZE, SIZE, background=RED, camera=camera) as renderer:
        for degrees in (0, 45, 90, -90, 180):
            a = np.radians(degrees)
            turn = np.array([[np.cos(a), 0.0, np.sin(a)], [0.0, 1.0, 0.0], [-np.sin(a), 0.0, np.cos(a)]], np.float32)
            img = renderer.render((pos - head) @ turn.T + head, nrm @ turn.T)
            background = np.abs(img.astype(int) - RED).sum(axis=2) < 40
            ear_top = camera.project(np.array([[head[0], eye_y + 0.05, head[2]]]), SIZE, SIZE)[0, 1]
            count = 0
            for row in background[: int(ear_top)]:
                figure = np.flatnonzero(~row)
                if len(figure):
                    count += int(row[figure[0] : figure[-1] + 1].sum())
            gaps[degrees] = count
    return gaps


def cuff_plane_deviation(avatar: Avatar, side: str) -> tuple[float, float]:
    """(rms, max) metres from one plane of the sleeve's colour edge at a wrist: the points on the
    mesh edges where the albedo is halfway between shirt and skin."""
    skin = (avatar.albedo - SHIRT) @ (SKIN - SHIRT) / ((SKIN - SHIRT) @ (SKIN - SHIRT))
    wrist = avatar.skeleton.rest[avatar.skeleton.index("wrist." + side)]
    verts = avatar.vertices.astype(np.float64)
    near = np.linalg.norm(verts - wrist, axis=1) < 0.08
    edges = np.unique(_edges(avatar.faces), axis=0)
    a, b = edges[:, 0], edges[:, 1]
    crossing = near[a] & near[b] & ((skin[a] - 0.5) * (skin[b] - 0.5) < 0)
    a, b = a[crossing], b[crossing]
    t = (0.5 - skin[a]) / (skin[b] - skin[a])
    points = verts[a] + (verts[b] - verts[a]) * t[:, None]
    centre = points.mean(axis=0)
    off = (points - centre) @ np.linalg.svd(points - centre)[2][2]
    return float(np.sqrt((off**2).mean())), float(np.abs(off).max())


def shoulder_folds(avatar: Avatar, groups: np.ndarray, lexicon: Lexicon, pose: HandPose) -> FloatArray:
    """Degrees by which each skin edge within 12 cm of the right shoulder joint folds (the angle
    between its two faces grows) from the rest pose to `pose` of the right hand."""
    sk = avatar.skeleton
    poser = Poser(sk, lexicon)
    faces = avatar.faces[(groups[avatar.faces] == "body").all(axis=1)]

    def posed(right: HandPose) -> FloatArray:
        q = sk.identity(1)[0]
        for side, hand in (("R", right), ("L", REST)):
            for j, rot in poser.pose(hand, side).items():
                q[j] = rot
        r, p = sk.forward(q)
        out: FloatArray = avatar.deform(r, p, None)[0].astype(np.float64)
        return out

    e = _edges(faces)
    owner = np.tile(np.arange(len(faces)), 3)
    order = np.lexsort((e[:, 1], e[:, 0]))
    e, owner = e[order], owner[order]
    shared = (e[1:] == e[:-1]).all(axis=1)  # a closed skin: each inner edge listed twice, in a row
    pairs = np.stack([owner[:-1][shared], owner[1:][shared]], axis=1)
    ends = e[:-1][shared]
    region: BoolArray = np.linalg.norm(avatar.vertices - sk.rest[sk.index("upperarm01.R")], axis=1) < 0.12
    inside = region[ends].all(axis=1)

    def angles(x: FloatArray) -> FloatArray:
        tri = x[faces]
        n = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
        n /= np.linalg.norm(n, axis=1, keepdims=True)
        cos = np.clip((n[pairs[:, 0]] * n[pairs[:, 1]]).sum(axis=1), -1.0, 1.0)
        out: FloatArray = np.degrees(np.arccos(cos))
        return out

    folds: FloatArray = (angles(posed(pose)) - angles(posed(REST)))[inside]
    return folds


def test_the_hair_is_one_sheet_that_meets_the_scalp_at_its_edge(avatar, groups) -> None:
    hair_faces = avatar.faces[(groups[avatar.faces] == "helper-hair").all(axis=1)]
    assert _components(hair_faces) == 1  # MakeHuman's hull: 16 separate panels
    edges, counts = np.unique(_edges(hair_faces), axis=0, return_counts=True)
    rim = np.unique(edges[counts == 1])
    scalp = avatar.vertices[groups == "body"]
    gap = np.sqrt(((avatar.vertices[rim][:, None] - scalp[None]) ** 2).sum(axis=2)).min(axis=1)
    assert gap.max() < 0.002, gap.max()  # the hull's rim floated 1.4 to 24.6 mm off the scalp


@pytest.mark.render
def test_no_background_shows_through_the_hair_from_any_side(avatar) -> None:
    gaps = hair_gap_pixels(avatar)
    # MakeHuman's hull: 9 px in front, 12 and 14 from the sides (1 three-quarter, 0 behind)
    assert all(count <= 2 for count in gaps.values()), gaps


def test_the_sleeve_ends_in_a_clean_ring_at_each_wrist(avatar) -> None:
    for side in ("L", "R"):
        rms, worst = cuff_plane_deviation(avatar, side)
        # the per-vertex rule: 3.5 mm rms, 9.0 mm at most (now 0.8 and 2.0)
        assert rms < 0.0015 and worst < 0.003, (side, rms, worst)


def test_a_raised_arm_does_not_crease_the_shoulder(avatar, groups) -> None:
    folds = shoulder_folds(avatar, groups, load_lexicon(), HAND_AT_TEMPLE)
    # raw MakeHuman weights: largest fold 126 degrees, 99th percentile 85 (now 34 and 26)
    assert folds.max() < 60.0 and np.percentile(folds, 99) < 40.0, (folds.max(), np.percentile(folds, 99))
