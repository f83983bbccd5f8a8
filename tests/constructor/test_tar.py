"""The tar headers are the ones Go's ``archive/tar`` writes."""

from __future__ import annotations

import gzip
import io
import tarfile
from pathlib import Path

from pyocm._internal.tarformat import DIRECTORY, END, header, padding


def test_rebuilds_a_go_written_archive_byte_for_byte(vectors: Path) -> None:
    # mychart-0.1.0.tgz was written by Helm (Go's archive/tar): re-writing its entries with
    # the same names, modes, sizes and times must give exactly its bytes.
    original = gzip.decompress((vectors / "helm" / "mychart-0.1.0.tgz").read_bytes())
    rebuilt = b""
    with tarfile.open(fileobj=io.BytesIO(original)) as tar:
        for member in tar:
            extracted = tar.extractfile(member)
            assert extracted is not None
            data = extracted.read()
            rebuilt += header(member.name, size=member.size, mode=member.mode, mtime=member.mtime)
            rebuilt += data + padding(len(data))
    assert rebuilt + END == original


def test_long_and_non_ascii_names_survive_a_round_trip() -> None:
    names = ["ä/ö.txt", "d/" + "x" * 120 + "/y.txt", "z" * 300]
    data = b"".join(header(n, size=1, mode=0o644) + b"x" + padding(1) for n in names)
    data += header("dir/", mode=0o755, typeflag=DIRECTORY) + END
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        assert [m.name for m in tar] == [*names, "dir"]


def test_sizes_beyond_ustar_get_a_pax_record() -> None:
    block = header("huge.bin", size=9 * 2**30)
    assert len(block) == 3 * 512
    assert b"size=9663676416\n" in block
