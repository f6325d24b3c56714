"""Files appear under their final name only when complete: temp name in the same folder, fsync, rename."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def temp_path_for(path: Path) -> Path:
    """A hidden, unique sibling of `path` (same folder, so os.replace stays atomic)."""
    return path.with_name(f".{path.name}.{secrets.token_hex(6)}.part")


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: Path) -> None:
    # Makes the rename itself durable; some filesystems refuse fsync on a directory, which is harmless.
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def publish(temp: Path, final: Path) -> None:
    """fsync `temp`, then rename it to `final` (replacing any older file)."""
    fsync_file(temp)
    os.replace(temp, final)
    fsync_dir(final.parent)


def write_bytes_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = temp_path_for(path)
    try:
        with open(temp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temp, path)
        fsync_dir(path.parent)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def write_text_atomic(path: Path, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))
