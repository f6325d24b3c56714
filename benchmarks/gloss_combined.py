"""BLEU-4 on the PHOENIX-2014T dev split of a trained model alone against the model combined with
the rules (signavatar/translation_choice.py: the model's glosses where its confidence reaches the
threshold, else the rules'), at the default threshold and a few others.

usage: python benchmarks/gloss_combined.py --model var/phoenix.json.gz [--corpus DIR]
                                           [--thresholds 0.5 0.8 0.9 1.0]

The model is one `train-gloss` wrote from PHOENIX train (about 3 minutes:
`signavatar train-gloss --corpus ../shared/data/phoenix14t --out var/phoenix.json.gz`; never in
git, the corpus is CC BY-NC-SA). The rules' glosses are mapped to PHOENIX conventions before
scoring (gloss_bleu.to_phoenix), the model's are scored as they are, as in gloss_bleu.py. The
confidence is computed once per sentence; each threshold then picks model or rules, and the
default threshold's picks are checked against `choose` itself. The thresholds other than the
default (Settings.model_min_confidence) are for information: the default was not chosen on dev.
Last, model and rules are scored on the sentences below the default threshold alone (where the
combination gives the rules' glosses).
Without the corpus or the model the script says so and exits 0.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))
DEFAULT_CORPUS = REPO.parent / "shared" / "data" / "phoenix14t"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder with dev.de and dev.gloss")
    parser.add_argument("--model", type=Path, required=True, help="a model file from `train-gloss`")
    parser.add_argument("--thresholds", type=float, nargs="+", default=[0.5, 0.8, 0.9])
    args = parser.parse_args()
    if not (args.corpus / "dev.de").is_file() or not args.model.is_file():
        print(f"gloss_combined: skipped, no PHOENIX-2014T corpus at {args.corpus} or no model at {args.model}")
        return 0
    import sacrebleu
    from gloss_bleu import to_phoenix

    from signavatar.gloss_model import load_model
    from signavatar.gloss_model.confidence import model_confidence
    from signavatar.lexicon import load_lexicon
    from signavatar.settings import Settings
    from signavatar.text_to_gloss import explain, parse_gloss_string
    from signavatar.translation_choice import choose

    settings = Settings()
    lexicon = load_lexicon(settings.lexicon_dir)
    vocabulary = lexicon.lemma_map()
    model = load_model(args.model)
    dev_de = (args.corpus / "dev.de").read_text(encoding="utf-8").splitlines()
    refs = [" ".join(line.split()) for line in (args.corpus / "dev.gloss").read_text(encoding="utf-8").splitlines()]
    default = settings.model_min_confidence
    thresholds = sorted({*args.thresholds, default})
    started = time.perf_counter()
    rows: list[tuple[str, list[str], list[str], float]] = []  # rules, model, confidence per sentence
    for line in dev_de:
        rules = explain(line, vocabulary)
        confidence = model_confidence(model.table, line, (w for t in rules.sequence.tokens for w in t.words))
        model_out = model.translate(line)
        rows.append((line, to_phoenix(rules.sequence.glosses()), model_out, confidence.value))
        picked = choose(rules, None, lambda g: parse_gloss_string(g, lexicon), model, line, lexicon, default)
        by_threshold = model_out if confidence.value >= default and model_out else rules.sequence.glosses()
        assert picked.sequence.glosses() == by_threshold, (line, picked.sequence.glosses(), by_threshold)
    seconds = time.perf_counter() - started

    def score(hyps: list[list[str]], keep: list[bool] | None = None) -> str:
        keep = keep or [True] * len(hyps)
        picked = [" ".join(h) for h, k in zip(hyps, keep) if k]
        return str(sacrebleu.corpus_bleu(picked, [[r for r, k in zip(refs, keep) if k]]))

    print(f"PHOENIX-2014T dev ({len(dev_de)} sentences), model {args.model} "
          f"(tuning {model.meta.get('tuning')}), sacrebleu {sacrebleu.__version__}; {seconds:.0f} s")
    print("| system | threshold | model used | BLEU-4 (dev) |")
    print(f"| rules | - | 0 % | {score([r for _, r, _, _ in rows])} |")
    print(f"| model alone | - | 100 % | {score([m for _, _, m, _ in rows])} |")
    for t in thresholds:
        used = [c >= t and bool(m) for _, _, m, c in rows]
        hyps = [m if u else r for (_, r, m, _), u in zip(rows, used)]
        name = "combined (default)" if t == default else "combined"
        print(f"| {name} | {t:.2f} | {100 * sum(used) / len(rows):.0f} % | {score(hyps)} |")
    below = [c < default for *_, c in rows]  # where the default threshold lets the rules answer
    print(f"on the {sum(below)} sentences below the default threshold: model "
          f"{score([m for _, _, m, _ in rows], below)}; rules {score([r for _, r, _, _ in rows], below)}")
    shares = sorted(c for *_, c in rows)
    print(f"confidence: median {shares[len(shares) // 2]:.2f}, "
          f"{sum(c >= 1.0 for c in shares)} of {len(shares)} sentences at 1.0")
    return 0


if __name__ == "__main__":
    sys.exit(main())
