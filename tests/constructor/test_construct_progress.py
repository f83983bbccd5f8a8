"""``construct(progress=…)``: how far the content of each input has been stored."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pyocm.descriptor import Descriptor

Build = Callable[..., list[Descriptor]]

HEAD = """
name: acme.org/app
version: 1.0.0
provider: {name: acme.org}
"""


def test_progress_reports_each_input_read_up_to_its_size(workdir: Path, build: Build) -> None:
    (workdir / "big.bin").write_bytes(b"x" * (3 << 20))
    calls: list[tuple[str, int, int]] = []
    build(
        HEAD + "resources:\n- {name: big, type: blob, input: {type: file, path: big.bin}}\n"
        "- {name: note, type: blob, input: {type: utf8, text: hello}}\n"
        "sources:\n- {name: src, type: blob, input: {type: utf8, text: code}}\n",
        progress=lambda what, done, total: calls.append((what, done, total)),
    )
    big = [c for c in calls if c[0] == "resource 'big' of acme.org/app:1.0.0"]
    assert big[0] == (big[0][0], 0, 3 << 20)  # announced when opened
    assert big[-1] == (big[0][0], 3 << 20, 3 << 20)
    assert [done for _, done, _ in big] == sorted(done for _, done, _ in big)
    assert ("resource 'note' of acme.org/app:1.0.0", 5, 5) in calls
    assert ("source 'src' of acme.org/app:1.0.0", 4, 4) in calls


def test_progress_of_unknown_size_reports_minus_one(workdir: Path, build: Build) -> None:
    (workdir / "a.txt").write_text("a" * 1000)
    calls: list[tuple[str, int, int]] = []
    build(
        HEAD + "resources:\n- {name: text, type: blob, input: {type: file, path: a.txt, "
        "compress: true}}\n",
        progress=lambda what, done, total: calls.append((what, done, total)),
    )
    assert calls and all(total == -1 for _, _, total in calls)
    assert calls[-1][1] > 0
