"""Glosses an editor approved for a sentence, stored and reused for it and near-identical ones.

Public API: `TranslationMemory(path)` with `approve`, `lookup`, `entries`, `remove`; `Match`,
`MemoryEntry`; `memory_key(text)`. Matching rules (exact key, fuzzy threshold, what a fuzzy
match may and may not differ in): signavatar/translation_memory/matching.py.
"""

from signavatar.translation_memory.matching import FUZZY_RATIO, memory_key
from signavatar.translation_memory.sequence import memory_sequence
from signavatar.translation_memory.store import MEMORY_FILENAME, Match, MemoryEntry, TranslationMemory

__all__ = [
    "FUZZY_RATIO", "MEMORY_FILENAME", "Match", "MemoryEntry", "TranslationMemory", "memory_key", "memory_sequence",
]
