"""Choosing the headless OpenGL platform (EGL or OSMesa) before PyOpenGL is imported.

PyOpenGL reads PYOPENGL_PLATFORM once, at its first import, so the choice has to be made before
anything imports `OpenGL` or `pyrender`. This module is the one place that does it.
"""

from __future__ import annotations

import os
import sys

from signavatar.errors import RenderError

PLATFORMS = ("egl", "osmesa")


def select_platform(name: str) -> str:
    """Make `name` the OpenGL platform of this process; returns the platform in force.

    Raises RenderError when `name` is unknown or when OpenGL was already loaded for another one.
    """
    if name not in PLATFORMS:
        raise RenderError(f"unknown OpenGL platform {name!r}: use one of {', '.join(PLATFORMS)}")
    current = os.environ.get("PYOPENGL_PLATFORM")
    if "OpenGL" in sys.modules and current and current != name:
        raise RenderError(f"OpenGL is already loaded for {current!r} in this process; start a new process for {name!r}")
    os.environ["PYOPENGL_PLATFORM"] = name
    return name

