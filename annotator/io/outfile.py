"""A large output file written past the operating system's file cache, where it allows.

An export of 10,000 articles writes about 700 MB that nobody reads back soon. Through the
file cache, every page of it is first allocated, which costs more than the writing itself on
a virtual machine (measured here: about 2 s of system time for 700 MB, a tenth of the whole
export, while the cache fills with pages that push out useful ones). On Linux the file is
opened with ``O_DIRECT`` and written from a page-aligned buffer in whole blocks; the last,
partial block is padded and the file cut back to its length. Where that is not available
(another system, a file system that refuses it) the same bytes go through the cache as usual.
"""
from __future__ import annotations

import errno
import mmap
import os

# What a file system that does not do O_DIRECT answers, at open or at the first write.
REFUSED = {errno.EINVAL, getattr(errno, "EOPNOTSUPP", errno.EINVAL), getattr(errno, "ENOTSUP", errno.EINVAL)}
BLOCK = 4096  # a multiple of every device's logical block size met in practice
BUFFER_SIZE = 8 << 20  # whole blocks; the memory this writer holds, whatever the file size


class UncachedWriter:
    """Appends bytes and whole files to a new file at ``path``; ``close`` completes it."""

    def __init__(self, path, buffer_size: int = BUFFER_SIZE):
        if buffer_size % BLOCK:
            raise ValueError(f"buffer_size must be a multiple of {BLOCK}")
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
        self.fd, self.direct = _open_direct(path, flags)
        self._memory = mmap.mmap(-1, buffer_size)  # anonymous memory starts on a page boundary
        self._buffer = memoryview(self._memory)
        self._filled = 0
        self.size = 0  # bytes written so far, the file's length once closed

    def write(self, data: bytes) -> None:
        view = memoryview(data).cast("B")
        while view:
            step = min(len(view), len(self._buffer) - self._filled)
            self._buffer[self._filled:self._filled + step] = view[:step]
            self._take(step)
            view = view[step:]

    def append_file(self, path) -> None:
        """The bytes of the file at ``path``, read straight into the buffer."""
        with open(path, "rb", buffering=0) as source:
            while step := source.readinto(self._buffer[self._filled:]):
                self._take(step)

    def close(self) -> None:
        """Writes what is buffered and closes the file, at exactly ``size`` bytes."""
        try:
            if self._filled:
                if self.direct:  # only whole blocks go past the cache: pad, then cut back
                    padded = -(-self._filled // BLOCK) * BLOCK
                    self._buffer[self._filled:padded] = bytes(padded - self._filled)
                    self._write_all(self._buffer[:padded])
                    os.ftruncate(self.fd, self.size)
                else:
                    self._write_all(self._buffer[:self._filled])
                self._filled = 0
        finally:
            self.discard()

    def discard(self) -> None:
        """Closes the file as it is (after an error; the caller removes it)."""
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
            self._buffer.release()
            self._memory.close()

    def _take(self, count: int) -> None:
        self._filled += count
        self.size += count
        if self._filled == len(self._buffer):
            self._write_all(self._buffer)
            self._filled = 0

    def _write_all(self, view: memoryview) -> None:
        while view:
            try:
                written = os.write(self.fd, view)
            except OSError as exc:
                if not (self.direct and exc.errno in REFUSED):
                    raise
                self._stop_direct()  # the file system took the flag but not the writes
                continue
            view = view[written:]

    def _stop_direct(self) -> None:
        import fcntl

        fcntl.fcntl(self.fd, fcntl.F_SETFL, fcntl.fcntl(self.fd, fcntl.F_GETFL) & ~os.O_DIRECT)
        self.direct = False


def _open_direct(path, flags: int) -> tuple[int, bool]:
    """The file opened past the cache if the system and the file system allow it; whether it is."""
    direct = getattr(os, "O_DIRECT", 0)
    if direct:
        try:
            return os.open(path, flags | direct, 0o666), True
        except OSError as exc:
            if exc.errno not in REFUSED:
                raise
    return os.open(path, flags, 0o666), False
