"""
Files: bounded reads and atomic writes, for every loader and the CLI.

Imported files are untrusted: a policy document or a line of cases larger
than its limit is refused before it is read whole (``/dev/zero`` must not
exhaust memory), and a file we write replaces the old one only once it is
complete (a failure half-way must not truncate the user's file).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, AnyStr

from servicecore.errors import ServiceCoreError

__all__ = [
    "MAX_DOCUMENT_BYTES",
    "MAX_LINE_BYTES",
    "atomic_write",
    "read_limited",
    "read_line_limited",
]

#: The largest policy document or calendar file read, in bytes (16 MiB).
MAX_DOCUMENT_BYTES = 16 * 1024 * 1024

#: The longest line of JSON Lines (one case) read, in bytes (16 MiB).
MAX_LINE_BYTES = 16 * 1024 * 1024


def read_limited(
    path: str | os.PathLike[str],
    *,
    limit: int = MAX_DOCUMENT_BYTES,
    error: type[ServiceCoreError],
) -> bytes:
    """
    Return the bytes of the file at *path*, refusing more than *limit*.

    Raises:
        error: The file cannot be read, or holds more than *limit* bytes
            (only ``limit + 1`` bytes are ever read).
    """
    name = os.fspath(path)
    try:
        with Path(name).open("rb") as file:
            data = file.read(limit + 1)
    except OSError as exc:
        raise error(
            str(name), f"cannot read the file: {exc.strerror or exc}"
        ) from exc
    if len(data) > limit:
        raise error(
            str(name),
            f"larger than the limit of {limit:,} bytes; raise the limit "
            "if the file is meant to be this large",
        )
    return data


def read_line_limited(file: IO[AnyStr], limit: int = MAX_LINE_BYTES) -> AnyStr:
    """
    Return the next line of *file* (empty at the end), or more than *limit*.

    The caller refuses a result longer than *limit* without its newline;
    at most ``limit + 1`` bytes (characters from a text file) are read, so
    an endless line costs bounded memory.
    """
    return file.readline(limit + 1)


@contextlib.contextmanager
def atomic_write(
    path: str | os.PathLike[str], *, encoding: str = "utf-8"
) -> Iterator[IO[str]]:
    """
    Write the text file at *path* all at once, or not at all.

    The text goes to a temporary file in the same folder, which replaces
    *path* (keeping its permissions) only when the ``with`` block ends
    without an error; on an error the temporary file is removed and
    *path* is left as it was.
    """
    target = Path(path)
    handle, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
    )
    try:
        with os.fdopen(handle, "w", encoding=encoding, newline="") as file:
            yield file
            file.flush()
            os.fsync(file.fileno())
        Path(temporary).chmod(_mode_for(target))
        Path(temporary).replace(target)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(temporary).unlink()
        raise


def _mode_for(target: Path) -> int:
    """Return the permissions the written file gets: the old file's."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        # A new file gets what open() would give it: 0o666 less the umask.
        umask = os.umask(0o022)
        os.umask(umask)
        return 0o666 & ~umask
