"""Signs too alike (gloss_to_pose/sign_similarity.py): a copied sign is flagged, a homonym is not,
clearly different signs are not; the vectorised search agrees with the pair-by-pair distance."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from signavatar.avatar.rig import load_avatar
from signavatar.avatar.skeleton import Skeleton
from signavatar.gloss_to_pose import sign_similarity as ss
from signavatar.gloss_to_pose.sequencer import Sequencer
from signavatar.lexicon import load_lexicon

GLOSSES = Path(__file__).resolve().parents[2] / "glosses"
#: clearly different signs: one-handed at the face, pointing, two-handed roof, taps on the palm
SIGNS = ("DU", "HAUS", "WISSEN", "TERMIN", "DANKE")


@pytest.fixture(scope="module")
def skeleton() -> Skeleton:
    return load_avatar().skeleton


def small_lexicon(tmp_path: Path, copies: dict[str, dict[str, Any]]) -> Path:
    """A lexicon folder with SIGNS and, per new gloss, a copy of a sign with fields changed
    (`from`: the sign copied)."""
    root = tmp_path / "glosses"
    (root / "signs").mkdir(parents=True)
    shutil.copy(GLOSSES / "handshapes.json", root / "handshapes.json")
    for gloss in SIGNS:
        shutil.copy(GLOSSES / "signs" / f"{gloss}.json", root / "signs" / f"{gloss}.json")
    for gloss, change in copies.items():
        data = json.loads((GLOSSES / "signs" / f"{change['from']}.json").read_text(encoding="utf-8"))
        data.update({k: v for k, v in change.items() if k != "from"}, gloss=gloss, lemmas=[gloss.lower()])
        (root / "signs" / f"{gloss}.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return root


def pairs_of(root: Path, skeleton: Skeleton) -> list[ss.SimilarPair]:
    return ss.similar_signs(Sequencer(skeleton, load_lexicon(root), skeleton.skeleton_id))


def test_a_copied_sign_under_a_new_gloss_is_flagged(tmp_path: Path, skeleton: Skeleton) -> None:
    pairs = pairs_of(small_lexicon(tmp_path, {"VERABREDUNG": {"from": "TERMIN"}}), skeleton)
    assert [(p.a, p.b) for p in pairs] == [("TERMIN", "VERABREDUNG")]
    assert pairs[0].distance == pytest.approx(0.0, abs=1e-6)


def test_a_copy_marked_same_sign_as_is_not_flagged(tmp_path: Path, skeleton: Skeleton) -> None:
    root = small_lexicon(tmp_path, {"VERABREDUNG": {"from": "TERMIN", "same_sign_as": ["TERMIN"]}})
    assert pairs_of(root, skeleton) == []


def test_clearly_different_signs_are_not_flagged(tmp_path: Path, skeleton: Skeleton) -> None:
    lexicon = load_lexicon(small_lexicon(tmp_path, {}))
    sig = ss.lexicon_signatures(Sequencer(skeleton, lexicon, skeleton.skeleton_id))
    assert ss.close_pairs(sig) == []
    every = ss.close_pairs(sig, limit=np.inf)
    assert len(every) == len(SIGNS) * (len(SIGNS) - 1) // 2
    assert min(p.distance for p in every) > 1.5


def test_a_copy_moved_10_cm_away_is_not_flagged_but_2_cm_is(tmp_path: Path, skeleton: Skeleton) -> None:
    def moved(dx: float) -> list[ss.SimilarPair]:
        data = json.loads((GLOSSES / "signs" / "WISSEN.json").read_text(encoding="utf-8"))
        hand = (data.get("definition") or {}).get("hand")
        assert hand is not None, "WISSEN is written as a definition"
        offset = hand.get("offset", [0.0, 0.0, 0.0])
        hand["offset"] = [offset[0], offset[1] + dx, offset[2]]
        root = small_lexicon(tmp_path / f"{dx}", {"KENNEN": {"from": "WISSEN", "definition": data["definition"]}})
        return pairs_of(root, skeleton)

    near = moved(0.02)
    assert [(p.a, p.b) for p in near] == [("KENNEN", "WISSEN")]
    assert near[0].place_cm == pytest.approx(2.0, abs=0.3)
    assert moved(0.10) == []


def test_the_block_search_matches_the_pair_distance(skeleton: Skeleton) -> None:
    lexicon = load_lexicon(GLOSSES)
    glosses = ss.lexical_glosses(lexicon)[:60]
    sig = ss.lexicon_signatures(Sequencer(skeleton, lexicon, skeleton.skeleton_id), glosses)
    units = np.array([ss.PLACE_CM, ss.TURN_DEG, ss.SHAPE_CM])
    found = {(p.a, p.b): p.distance for p in ss.close_pairs(sig, limit=np.inf)}
    assert len(found) == 60 * 59 // 2
    index = {g: i for i, g in enumerate(glosses)}
    x = ss.bound_features(sig).astype(np.float64)
    for (a, b), d in list(found.items())[::97]:
        i, j = index[a], index[b]
        exact = np.linalg.norm(ss.pair_components(sig, i, j) / units, axis=1).max()
        assert d == pytest.approx(exact)
        assert np.linalg.norm(x[i] - x[j], axis=1).max() <= exact + 1e-9  # the search's bound is a lower bound


def test_synthetic_signatures_in_blocks_find_the_planted_pair() -> None:
    rng = np.random.default_rng(1)
    n = ss.BLOCK + 40  # across a block boundary
    place = rng.normal(0, 20, (n, 2, ss.SAMPLES * 3))
    turn = rng.normal(0, 1, (n, 2, ss.SAMPLES * 9))
    fingers = rng.normal(0, 10, (n, 2, 5, ss.SAMPLES * 12))
    for a in (place, turn, fingers):
        a[n - 1] = a[3] + 0.001  # sign n-1 is sign 3, a hair apart
    sig = ss.Signatures(tuple(f"S{i}" for i in range(n)), place, turn, fingers)
    assert [(p.a, p.b) for p in ss.close_pairs(sig)] == [("S3", f"S{n - 1}")]
    assert ss.close_pairs(sig, same=[(f"S{n - 1}", "S3")]) == []
