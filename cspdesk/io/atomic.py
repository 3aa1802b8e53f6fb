"""Write files through a temporary file and rename, so a crash never leaves half a file."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from cspdesk.errors import CspdeskError
from cspdesk.io.os_errors import NAME_LIMIT, describe_os_error
from cspdesk.io.output_target import refuse_replacing_database
from cspdesk.store.part_files import clean_stale_parts, part_prefix


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it replaces ``target``.

    A workspace or backup is never replaced; the parts left by interrupted writes to the same
    name are removed first.
    """
    target = Path(target)
    if len(target.name.encode("utf-8", "surrogateescape")) > NAME_LIMIT:
        raise CspdeskError(describe_os_error(target, OSError(errno.ENAMETOOLONG, "too long")))
    if not target.parent.is_dir():
        raise CspdeskError(f"{target}: the folder {target.parent} does not exist")
    refuse_replacing_database(target)
    clean_stale_parts(target)
    try:
        fd, temp_name = tempfile.mkstemp(
            prefix=part_prefix(target), suffix=".part", dir=target.parent
        )
    except OSError as error:
        raise CspdeskError(describe_os_error(target, error)) from error
    os.close(fd)
    temp = Path(temp_name)
    try:
        os.chmod(temp, 0o666 & ~_umask())  # mkstemp makes it private; outputs are ordinary files
        yield temp
        with temp.open("rb+") as handle:
            os.fsync(handle.fileno())
        refuse_replacing_database(target)  # a second look just before the rename
        os.replace(temp, target)
    except OSError as error:
        raise CspdeskError(describe_os_error(target, error)) from error
    except CspdeskError as error:  # a writer's own wording of a disk error: say it plainly
        cause = error.__cause__
        if isinstance(cause, OSError) and cause.errno is not None:
            raise CspdeskError(describe_os_error(target, cause)) from cause
        raise
    finally:
        temp.unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_bytes_atomic(target: Path, data: bytes) -> None:
    with atomic_path(target) as temp:
        temp.write_bytes(data)


def write_text_atomic(target: Path, text: str) -> None:
    write_bytes_atomic(target, text.encode("utf-8"))


def write_with(target: Path, writer: Callable[[Path], None]) -> None:
    """Let ``writer`` fill a temporary file, then move it into place."""
    with atomic_path(target) as temp:
        writer(temp)
