"""Closed word classes the DGS rules need: what to drop, what moves, how pronouns map.

Kept as plain data so a linguist can review and extend the lists without reading the rules.
STTS tags are HanTa's (https://www.ims.uni-stuttgart.de/forschung/ressourcen/lexika/germantagsets/).
"""

from __future__ import annotations

from signavatar.text_to_gloss.special_tokens import starts_with_digit

# Never signed: articles, "zu" before an infinitive, "am" in "am besten", relative pronouns.
DROPPED_TAGS = frozenset({"ART", "PTKZU", "PTKA", "PRELS", "PRELAT"})

# Signed only when the vocabulary has them (a lexicon may have UND, ODER, WEIL, MIT, FÜR ...).
# DGS expresses most of their meaning by placement and order, so a missing one is no loss.
OPTIONAL_TAGS = frozenset({"APPR", "APPRART", "APPO", "APZR", "KON", "KOUS", "KOUI", "KOKOM"})
#: function words the translation never signs although the lexicon has a sign for them (for editors'
#: gloss strings): "und" - DGS joins clauses and lists without it (the clauses stand side by side)
UNSIGNED_WORDS = frozenset({"und"})

# Copula and auxiliaries that DGS leaves out; "haben" is kept when it means possession.
COPULA_LEMMAS = frozenset({"sein", "werden"})
HABEN = "haben"

MODAL_LEMMAS = frozenset({"können", "müssen", "wollen", "dürfen", "sollen", "mögen", "möchten"})
# Verbs that never take a separated particle: their signs are dropped or are modals.
UNJOINED_VERBS = frozenset({*COPULA_LEMMAS, HABEN, *MODAL_LEMMAS})

# Question words; with "?" they move to the end of the sentence and carry the wh-face.
WH_LEMMAS = frozenset({
    "wo", "wann", "was", "wie", "wer", "warum", "welche", "welcher", "welch", "wieso", "weshalb",
    "woher", "wohin", "wozu", "wofür", "womit", "wem", "wen", "wessen",
})
WH_TAGS = frozenset({"PWAV", "PWS", "PWAT"})
# "wie viel", "wie lange": the second word is part of the question word.
WIE_PARTNERS = frozenset({"viel", "viele", "lange", "oft", "alt", "spät", "teuer", "weit"})

NEGATION_LEMMAS = frozenset({"nicht", "kein"})

# Object and reflexive forms -> the pronoun whose pointing sign they are (DGS does not decline).
PRONOUN_KEYS = {
    "mich": "ich", "mir": "ich", "dich": "du", "dir": "du", "uns": "wir", "euch": "ihr",
    "ihn": "er", "ihm": "er", "ihnen": "sie",
}
# Reflexive form -> the subject pronoun it refers back to; if that subject is in the clause the
# reflexive is redundant in DGS ("Ich melde mich an" -> ICH ANMELDEN).
REFLEXIVE_SUBJECT = {"mich": "ich", "mir": "ich", "dich": "du", "dir": "du", "uns": "wir", "euch": "ihr"}

# Formal address: DGS points at the person addressed, so "Sie" is signed like "du".
FORMAL_PRONOUN_KEYS = ("du", "sie")
FORMAL_POSSESSIVE_KEYS = ("dein", "du")
# Possessive lemma -> the pointing sign of its owner, used when the lexicon has no possessive sign.
POSSESSIVE_PERSON = {"mein": "ich", "dein": "du", "unser": "wir", "euer": "ihr", "sein": "er", "ihr": "sie"}
# Particles of separable verbs ("rufen ... an"), for when the tagger misses one at a clause end.
SEPARABLE_PARTICLES = frozenset({"an", "ab", "auf", "aus", "ein", "mit", "vor", "zu", "zurück", "vorbei", "weg", "um"})
FORMAL_PRONOUNS = frozenset({"Sie", "Ihnen"})
FORMAL_POSSESSIVE_PREFIX = "Ihr"

# Before a name the title is German politeness; it is signed only if the lexicon has it. Written
# forms, not lemmas: only a singular is a title ("Frau Müller"); "Frauen" are women (FRAU FRAU).
HONORIFICS = frozenset({"herr", "herrn", "frau", "dr.", "prof."})
NAME_TAGS = frozenset({"NE", "FM", "XY"})

# Expletive "es" ("Es gibt ...", "Gibt es ...") has no sign.
EXPLETIVES = frozenset({"es"})

# Words whose fingerspelling uses the written form, not the lemma (names must not be lemmatised).
SURFACE_SPELLED_TAGS = frozenset({"NN", "NE", "FM", "XY"})

NUMBER_WORDS = {
    "null": "0", "eins": "1", "zwei": "2", "drei": "3", "vier": "4", "fünf": "5", "sechs": "6",
    "sieben": "7", "acht": "8", "neun": "9", "zehn": "10", "elf": "11", "zwölf": "12",
    "zwanzig": "20", "dreißig": "30", "vierzig": "40", "fünfzig": "50", "hundert": "100",
    "tausend": "1000",
}

# Nouns whose sign already means a plural or a mass: "Unterlagen" is UNTERLAGEN, not signed twice.
PLURAL_SIGNS = frozenset({
    "unterlage", "kosten", "gebühr", "leute", "eltern", "daten", "personalien", "öffnungszeit", "sprechzeit",
    "ferien", "geschwister", "papier", "dokument", "angabe", "information", "info",
})
# Words that count a following plural noun, so the noun is signed once ("zwei Formulare" -> 2 FORMULAR).
QUANTIFIERS = frozenset({
    "viel", "viele", "mehrere", "einige", "alle", "all", "beide", "paar", "wenige", "wenig", "kein", "manche",
    "zahlreich", "weitere", "weiter", "sämtlich", "verschieden",
})
# Determiners before a genitive singular ("des Antrags"): its -s is not a plural.
GENITIVE_WORDS = frozenset({"des", "eines", "meines", "deines", "seines", "ihres", "unseres", "dieses", "jedes"})
SINGULAR_DETERMINERS = frozenset({"jed", "jede", "jeder", "jedes"})
# "dieser/jener Tag": the noun is signed (and placed); the demonstrative has no sign of its own.
ATTRIBUTIVE_DEMONSTRATIVES = frozenset({"dieser", "dies", "jener", "derselbe", "derjenige"})
# Prepositions that take the dative: after them "meinen/den ... -en" is a plural ("mit den Kunden").
DATIVE_PREPOSITIONS = frozenset({"mit", "bei", "von", "zu", "aus", "nach", "seit", "gegenüber", "außer", "ab"})

# Street names are fingerspelled whole (DGS has no signs for them); "-weg"/"-platz" only before a number.
STREET_SUFFIXES = ("straße", "strasse", "str.", "allee", "gasse", "chaussee")
NUMBERED_STREET_SUFFIXES = ("weg", "platz", "ring", "damm", "ufer", "markt")

CLAUSE_SEPARATORS = frozenset({",", ";", ":", "–", "—"})


def is_verb(pos: str) -> bool:
    """STTS verbs: VV (full), VA (auxiliary), VM (modal), any form."""
    return pos.startswith("V")


def is_number(surface: str) -> bool:
    """A number as written ("18", "17.", "10:30") or as a word ("zwei")."""
    return starts_with_digit(surface) or surface.lower() in NUMBER_WORDS


def is_participle(pos: str) -> bool:
    """Past participle ("beantragt"): the sign that a "haben" in its clause is an auxiliary."""
    return pos.startswith("V") and pos.endswith("(PP)")
