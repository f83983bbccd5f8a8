"""Inputs stream: adding large files, compressed or in a directory, keeps memory flat."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from pyocm.descriptor import Descriptor

Build = Callable[..., list[Descriptor]]

SIZE = 64 << 20
LIMIT = 16 << 20


@pytest.mark.parametrize(
    "input_yaml",
    [
        "{type: file, path: big/data.bin}",
        "{type: file, path: big/data.bin, compress: true}",
        "{type: dir, path: big}",
        "{type: dir, path: big, compress: true}",
    ],
)
def test_a_64_mib_input_is_added_with_less_than_16_mib_of_memory(
    workdir: Path, build: Build, input_yaml: str
) -> None:
    (workdir / "big").mkdir()
    with (workdir / "big" / "data.bin").open("wb") as f:
        f.truncate(SIZE)
    text = (
        "name: acme.org/app\nversion: 1.0.0\nprovider: {name: acme.org}\n"
        f"resources:\n- {{name: big, type: blob, input: {input_yaml}}}\n"
    )
    tracemalloc.start()
    try:
        (cd,) = build(text)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert cd.component.resources[0].digest is not None
    assert peak < LIMIT, f"peak {peak >> 20} MiB"
