"""Array type aliases, the trimesh way: the dtype in the type, the shape and units in the docstring
of the function that takes or returns it ("(T, J, 4) unit quaternions")."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.floating[Any]]
"""float32 or float64: positions, rotations, weights."""
Float32Array = npt.NDArray[np.float32]
"""float32: GL vertex buffers."""
IntArray = npt.NDArray[np.integer[Any]]
"""Indices and counts."""
UInt8Array = npt.NDArray[np.uint8]
"""Images: (H, W, 3) RGB or (H, W, 4) RGBA frames."""
BoolArray = npt.NDArray[np.bool_]
"""Masks."""
StrArray = npt.NDArray[np.str_]
"""Names (mesh groups, joints, targets)."""
AnyArray = npt.NDArray[Any]
"""An array whose dtype the caller chooses (generic helpers, data passed through unchanged)."""
