"""Phrase pairs from word-aligned sentences, with their translation scores (Koehn et al. 2003).

Every pair gets four log scores: phrase translation probabilities both ways, φ(glosses | german)
and φ(german | glosses), and lexical weights both ways from the word alignments. Each source
word also gets a deletion score, log P(unaligned | word): German articles, auxiliaries and
endings often have no sign.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence

from signavatar.gloss_model.alignment import Alignment

Phrase = tuple[str, ...]
PhraseTable = dict[Phrase, list[tuple[Phrase, tuple[float, float, float, float]]]]


def extract(
    f: Sequence[str], e: Sequence[str], links: Alignment, max_len: int
) -> list[tuple[Phrase, Phrase, Alignment]]:
    """Phrase pairs consistent with the alignment (source span ≤ max_len words), with their inner
    links in phrase-local positions; unaligned target words at the edges extend a pair."""
    pairs = []
    aligned_t = {j for _, j in links}
    for s1 in range(len(f)):
        for s2 in range(s1, min(len(f), s1 + max_len)):
            ts = [j for i, j in links if s1 <= i <= s2]
            if not ts:
                continue
            t1, t2 = min(ts), max(ts)
            if t2 - t1 >= max_len or any(not s1 <= i <= s2 for i, j in links if t1 <= j <= t2):
                continue
            lo = t1
            while True:
                hi = t2
                while True:
                    inner = {(i - s1, j - lo) for i, j in links if s1 <= i <= s2 and lo <= j <= hi}
                    pairs.append((tuple(f[s1 : s2 + 1]), tuple(e[lo : hi + 1]), inner))
                    hi += 1
                    if hi >= len(e) or hi in aligned_t or hi - lo >= max_len:
                        break
                lo -= 1
                if lo < 0 or lo in aligned_t or t2 - lo >= max_len:
                    break
    return pairs


def build_table(
    corpus: Sequence[tuple[Sequence[str], Sequence[str]]], alignments: Sequence[Alignment], max_len: int = 5,
    keep: int = 20, discount: float = 0.0,
) -> tuple[PhraseTable, dict[str, float]]:
    """The phrase table (each source phrase's `keep` best pairs) and the deletion log-scores.
    `discount` is taken off each pair count in both phrase probabilities, (c - D) / c(german) and
    (c - D) / c(glosses) (absolute discounting, as Foster et al. 2006 for phrase tables): a pair
    seen once no longer gets the probability of a pair seen a hundred times."""
    w_counts: Counter[tuple[str, str]] = Counter()
    f_counts: Counter[str] = Counter()
    e_counts: Counter[str] = Counter()
    unaligned: Counter[str] = Counter()
    for (f, e), links in zip(corpus, alignments):
        linked_f, linked_e = {i for i, _ in links}, {j for _, j in links}
        for i, j in links:
            w_counts[f[i], e[j]] += 1
        for i, w in enumerate(f):
            f_counts[w] += 1
            if i not in linked_f:
                w_counts[w, "NULL"] += 1
                unaligned[w] += 1
        for j, w in enumerate(e):
            e_counts[w] += 1
            if j not in linked_e:
                w_counts["NULL", w] += 1
    f_tot: Counter[str] = Counter()
    e_tot: Counter[str] = Counter()
    for (fw, ew), c in w_counts.items():
        f_tot[fw] += c
        e_tot[ew] += c

    def lex(src: Phrase, tgt: Phrase, inner: Alignment, forward: bool) -> float:
        total = 0.0
        for j, ew in enumerate(tgt):
            links = [src[i] for i, jj in inner if jj == j] or ["NULL"]
            if forward:  # w(gloss | german)
                p = sum(w_counts[fw, ew] / f_tot[fw] for fw in links) / len(links)
            else:
                p = sum(w_counts[ew, fw] / e_tot[fw] for fw in links) / len(links)
            total += math.log(max(p, 1e-9))
        return total

    pair_counts: Counter[tuple[Phrase, Phrase]] = Counter()
    lex_best: dict[tuple[Phrase, Phrase], tuple[float, float]] = {}
    for (f, e), links in zip(corpus, alignments):
        for src, tgt, inner in extract(f, e, links, max_len):
            pair_counts[src, tgt] += 1
            if (src, tgt) not in lex_best:
                back = {(j, i) for i, j in inner}
                lex_best[src, tgt] = (lex(src, tgt, inner, True), lex(tgt, src, back, False))
    src_tot: Counter[Phrase] = Counter()
    tgt_tot: Counter[Phrase] = Counter()
    for (src, tgt), c in pair_counts.items():
        src_tot[src] += c
        tgt_tot[tgt] += c
    table: defaultdict[Phrase, list[tuple[Phrase, tuple[float, float, float, float]]]] = defaultdict(list)
    for (src, tgt), c in pair_counts.items():
        lex_e, lex_f = lex_best[src, tgt]
        kept = max(c - discount, 1e-3)
        table[src].append((tgt, (math.log(kept / src_tot[src]), math.log(kept / tgt_tot[tgt]), lex_e, lex_f)))
    for src in table:
        table[src].sort(key=lambda item: -(item[1][0] + item[1][2]))
        del table[src][keep:]
    deletion = {w: math.log((unaligned[w] + 0.1) / (c + 1.0)) for w, c in f_counts.items()}
    return dict(table), deletion
