"""The meaning corpus (meaning_corpus.tsv): service-text sentences, the glosses that keep their meaning,
the phenomena each sentence tests and its register (Leichte Sprache or plain German).

One reader and one scorer for the test (test_meaning_corpus.py) and the benchmark
(benchmarks/translation_meaning.py). Deliberately free of signavatar imports: the benchmark may run the
translator of another checkout (--repo) and still read this corpus; the translator comes in as a callable.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

TSV = Path(__file__).with_name("meaning_corpus.tsv")
ALTERNATIVE_SEPARATOR = " || "

# The phenomena of issue 22 (what a rule must get right for the sentence to keep its meaning), and `core`:
# plain sentences the rules handled before issue 22, kept so that a regression shows.
PHENOMENA = (
    "particle-verb",  # separated verb particle joined to its verb (macht ... auf = ÖFFNEN), never the bare verb
    "open-closed",  # predicative zu/auf/offen/geschlossen -> SCHLIESSEN / ÖFFNEN
    "duration",  # WIE-LANGE, DAUERN LANGE, spatial LANG, never DAUERN twice
    "time-preposition",  # ab seit vor nach bis kept before their phrase
    "limit-preposition",  # bis zu, unter, über, innerhalb, pro
    "quantity",  # etwa/ungefähr/rund/circa -> UNGEFÄHR before the number
    "comparative",  # länger/mehr/weniger/früher (als) keep the comparative
    "focus-particle",  # nur noch schon selbst/persönlich auch
    "condition",  # wenn/falls/sofern clause first; Leichte Sprache "...? Dann ..."
    "oder",
    "aber",
    "sondern",  # nicht X, sondern Y -> X NICHT SONDERN Y
    "clause-und",  # two clauses joined by und, each verb at its own clause's end
    "pronoun-sie",  # formal Sie -> DU, "they" -> SIE
    "false-friend",  # So, zum Beispiel, zur Abholung, auf Deutsch, unter + phone, non-compounds
    "address",  # street, house number, postcode, town together and in order
    "sense",  # Zeit, Bescheid, nach Hause, Frauen/Männer
    "synonym",  # a word signed with the sign of another lemma (erhalten -> BEKOMMEN)
    "number-decimal",  # 7,5 -> 7 KOMMA 5
    "number-large",  # TAUSEND, MILLION
    "number-digits",  # phone numbers and postcodes digit by digit
    "question",
    "negation",
    "modal",
    "time-first",
    "core",
)
REGISTERS = ("plain", "leichte")


@dataclass(frozen=True)
class CorpusRow:
    """One sentence: `expected` holds the gloss strings that keep its meaning (any one passes)."""

    text: str
    expected: tuple[str, ...]
    tags: tuple[str, ...]
    register: str
    line: int  # 1-based line number in the TSV, for messages


def read_corpus(path: Path = TSV) -> list[CorpusRow]:
    """The rows of a corpus file; '#' lines and blank lines are comments. Raises ValueError naming the
    line when a row does not have four tab-separated columns."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        columns = line.split("\t")
        if len(columns) != 4:
            raise ValueError(f"{path.name}:{number}: {len(columns)} columns, want 4: text, glosses, tags, register")
        text, glosses, tags, register = columns
        rows.append(
            CorpusRow(
                text=text.replace("\\n", "\n"),
                expected=tuple(alternative.strip() for alternative in glosses.split(ALTERNATIVE_SEPARATOR)),
                tags=tuple(tag.strip() for tag in tags.split(",")),
                register=register.strip(),
                line=number,
            )
        )
    return rows


@dataclass(frozen=True)
class Outcome:
    """The translator's gloss string for one row (or 'ERROR: ...') and whether it kept the meaning."""

    row: CorpusRow
    got: str
    passed: bool


@dataclass(frozen=True)
class Rate:
    """Passed sentences of a group (a phenomenon, a register, or all)."""

    n: int
    passed: int

    @property
    def percent(self) -> float:
        return 100.0 * self.passed / self.n if self.n else 0.0


def translate_all(rows: Iterable[CorpusRow], translate: Callable[[str], str]) -> list[Outcome]:
    """Translate every row; an exception is an outcome ('ERROR: ...', failed), never a crash of the run."""
    outcomes = []
    for row in rows:
        try:
            got = translate(row.text)
        except Exception as exc:  # any translator failure is a failed sentence, reported
            got = f"ERROR: {type(exc).__name__}: {exc}"
        outcomes.append(Outcome(row=row, got=got, passed=got in row.expected))
    return outcomes


def rates_by_tag(outcomes: Iterable[Outcome]) -> dict[str, Rate]:
    """Pass rate per phenomenon tag, in PHENOMENA order (tags not in PHENOMENA after them)."""
    return _rates(outcomes, lambda outcome: outcome.row.tags)


def rates_by_register(outcomes: Iterable[Outcome]) -> dict[str, Rate]:
    return _rates(outcomes, lambda outcome: (outcome.row.register,))


def overall_rate(outcomes: Iterable[Outcome]) -> Rate:
    listed = list(outcomes)
    return Rate(n=len(listed), passed=sum(outcome.passed for outcome in listed))


def below_floor(rates: dict[str, Rate], floors: dict[str, float]) -> list[str]:
    """One message per group whose pass rate (percent) is under its floor (percent); a group with a
    floor but no sentences is below it too."""
    problems = []
    for name, floor in floors.items():
        rate = rates.get(name, Rate(n=0, passed=0))
        if rate.n == 0 or rate.percent < floor:
            problems.append(f"{name}: {rate.passed}/{rate.n} = {rate.percent:.1f} % < floor {floor:.0f} %")
    return problems


def _rates(outcomes: Iterable[Outcome], groups_of: Callable[[Outcome], Iterable[str]]) -> dict[str, Rate]:
    counts: dict[str, list[int]] = {}
    for outcome in outcomes:
        for group in groups_of(outcome):
            n_passed = counts.setdefault(group, [0, 0])
            n_passed[0] += 1
            n_passed[1] += outcome.passed
    order = {name: i for i, name in enumerate(PHENOMENA + REGISTERS)}
    names = sorted(counts, key=lambda name: (order.get(name, len(order)), name))
    return {name: Rate(n=counts[name][0], passed=counts[name][1]) for name in names}
