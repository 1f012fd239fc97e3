"""The export's output writer: the same bytes whether or not it goes past the file cache."""
import errno
import os

import pytest

from annotator.io import outfile
from annotator.io.outfile import BLOCK, UncachedWriter

SMALL_BUFFER = 2 * BLOCK  # so that a few kB cross the buffer's end several times


def pieces(tmp_path):
    """Bytes and spilled files of awkward sizes: empty, one byte, exactly a block, more than the buffer."""
    sizes = [0, 1, BLOCK - 1, BLOCK, 3 * BLOCK + 17, 5, 2 * BLOCK]
    out = []
    for i, size in enumerate(sizes):
        data = bytes((i * 31 + k) % 251 for k in range(size))
        if i % 2:
            path = tmp_path / f"spill-{i}"
            path.write_bytes(data)
            out.append(("file", path, data))
        else:
            out.append(("bytes", data, data))
    return out


def write_all(path, items, buffer_size=SMALL_BUFFER) -> UncachedWriter:
    writer = UncachedWriter(path, buffer_size=buffer_size)
    for kind, item, _ in items:
        if kind == "file":
            writer.append_file(item)
        else:
            writer.write(item)
    writer.close()
    return writer


def direct_io_works_here(folder) -> bool:
    if not hasattr(os, "O_DIRECT"):
        return False
    try:
        fd = os.open(folder / "probe", os.O_WRONLY | os.O_CREAT | os.O_DIRECT)
    except OSError:
        return False
    os.close(fd)
    return True


def opened_direct(fd: int) -> bool:
    if not hasattr(os, "O_DIRECT"):
        return False
    import fcntl

    return bool(fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_DIRECT)


def test_writes_exactly_the_bytes_given(tmp_path):
    items = pieces(tmp_path)
    writer = write_all(tmp_path / "out", items)
    expected = b"".join(data for _, _, data in items)
    assert (tmp_path / "out").read_bytes() == expected
    assert writer.size == len(expected)
    assert len(expected) % BLOCK  # the padded last block was cut back


def test_goes_past_the_cache_where_the_file_system_allows(tmp_path):
    if not direct_io_works_here(tmp_path):
        pytest.skip("no O_DIRECT on this system or file system")
    writer = UncachedWriter(tmp_path / "out")
    assert writer.direct
    writer.close()


@pytest.mark.parametrize("refusal", [errno.EINVAL, errno.EOPNOTSUPP])
def test_falls_back_to_the_cache_when_direct_writes_are_refused(tmp_path, monkeypatch, refusal):
    """A file system may take O_DIRECT at open and refuse the writes: the file still comes out whole."""
    real_write = os.write
    refused = []

    def write(fd, data):
        if opened_direct(fd):
            refused.append(len(data))
            raise OSError(refusal, os.strerror(refusal))
        return real_write(fd, data)

    monkeypatch.setattr(outfile.os, "write", write)
    items = pieces(tmp_path)
    writer = write_all(tmp_path / "out", items)
    assert (tmp_path / "out").read_bytes() == b"".join(data for _, _, data in items)
    assert not writer.direct
    if direct_io_works_here(tmp_path):
        assert refused  # the direct path was tried first


def test_other_errors_are_not_swallowed(tmp_path, monkeypatch):
    def full(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(outfile.os, "write", full)
    writer = UncachedWriter(tmp_path / "out", buffer_size=BLOCK)
    with pytest.raises(OSError, match="No space"):
        writer.write(b"x" * BLOCK)
    writer.discard()
    assert writer.fd == -1


def test_buffer_must_hold_whole_blocks(tmp_path):
    with pytest.raises(ValueError, match="multiple"):
        UncachedWriter(tmp_path / "out", buffer_size=BLOCK + 1)
