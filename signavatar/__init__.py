"""signavatar: German text to German Sign Language (DGS) avatar video."""

__version__ = "0.1.0"
