"""pyocm against the Go v2 CLI (0.13.0), side by side in one run: the rows of issue 12.

    python bench/go_compare.py                      # scaled-down sizes, 3 runs per row
    python bench/go_compare.py --full               # the issue's sizes (takes long)
    python bench/go_compare.py --rows d,e --runs 5  # some rows only

Rows (sizes in brackets are the defaults; ``--full`` gives the issue's):

a. ``add cv`` of one file into a new CTF [256 MiB; full 1 GiB]
b. ``transfer --copy-resources`` of a version whose image is in registry A, to registry B
   [one 256 MiB layer; full 1 GiB]
c. ``transfer`` of one component with many versions × 3 files, CTF → registry
   [50 versions; full 200]
d. ``get cv -o yaml`` of a version with many resources [10,000]
e. ``sign cv`` and ``verify cv`` of a version with many local resources [1,000]
f. many separate small ``transfer`` calls in one shell loop, as CI scripts write them
   [20 calls; full 200]

Every step is a child process (GNU ``time`` reports its peak RSS, see
:func:`benchlib.measure`).  Within a row the two tools alternate (pyocm first in even runs,
Go first in odd ones), every run on fresh targets (registries wiped), and the median of the
runs is reported with the ratio pyocm / Go (below 1: pyocm is faster).  Both tools run with
an empty HOME (no user configuration).  pyocm runs with its byte code cached
(``PYTHONDONTWRITEBYTECODE`` unset, cache under the work folder), as an installed package
does.  The Go binary is ``$PYOCM_GO_OCM_V2`` or ``ocm-go-v2`` in the test-tools cache
(scripts/install-go-ocm.sh); the registries are Debian's ``docker-registry``, the image is
pushed with ``skopeo``.  Data lives under /tmp/pyocm-bench-go-compare (``--keep`` keeps it).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from benchlib import TOOLS, Registry, make_layout, measure, tool

WORK = Path("/tmp/pyocm-bench-go-compare")
MiB = 1 << 20
PYOCM = str(Path(sys.executable).with_name("ocm"))


def go_binary() -> str:
    path = os.environ.get("PYOCM_GO_OCM_V2") or str(TOOLS / "ocm-go-v2")
    if not Path(path).is_file():
        raise SystemExit(f"Go v2 CLI not found at {path}: run scripts/install-go-ocm.sh")
    return path


@dataclass
class Tool:
    name: str
    argv: list[str]
    env: dict[str, str]


@dataclass
class Row:
    label: str
    times: dict[str, list[float]] = field(default_factory=dict)
    rss: dict[str, list[float]] = field(default_factory=dict)

    def add(self, tool: str, seconds: float, peak: float) -> None:
        self.times.setdefault(tool, []).append(seconds)
        self.rss.setdefault(tool, []).append(peak)


def tools() -> list[Tool]:
    home = WORK / "home"
    home.mkdir(parents=True, exist_ok=True)
    base = {"HOME": str(home), "DOCKER_CONFIG": str(home), "XDG_CONFIG_HOME": str(home)}
    cache = str(WORK / "pycache")
    pyocm_env = {**base, "PYTHONPYCACHEPREFIX": cache, "PYTHONDONTWRITEBYTECODE": ""}
    return [Tool("pyocm", [PYOCM], pyocm_env), Tool("go", [go_binary()], base)]


WARM_UP = """
import compileall, importlib, pkgutil, pyocm
compileall.compile_dir(pyocm.__path__[0], quiet=1)
for name in ("pyocm.cli.app", "pyocm.transfer", "pyocm.access", "pyocm.signing.rsa",
             "pyocm.constructor", "pyocm.oci.client", "pyocm.descriptor.validate",
             "pyocm.repository.oci.store", "pyocm.cli.transfer_display", "yaml", "rich.progress",
             "httpx", "cryptography.x509", "jsonschema", "filelock", "ssl", "tarfile", "gzip"):
    try:
        importlib.import_module(name)
    except Exception:
        pass
"""
"""Fills pyocm's byte-code cache (and that of what it imports) before anything is timed."""


def warm_up(pyocm: Tool) -> None:
    env = {k: v for k, v in {**os.environ, **pyocm.env}.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, "-c", WARM_UP], check=True, env=env)


def run(tool: Tool, *args: str, cwd: Path) -> tuple[float, float, str]:
    env = dict(tool.env)
    if env.get("PYTHONDONTWRITEBYTECODE") == "":
        del env["PYTHONDONTWRITEBYTECODE"]
        saved = os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        try:
            return measure([*tool.argv, *args], cwd=cwd, env=env)
        finally:
            if saved is not None:
                os.environ["PYTHONDONTWRITEBYTECODE"] = saved
    return measure([*tool.argv, *args], cwd=cwd, env=env)


def interleaved(
    row: Row, runs: int, step: Callable[[Tool, int], tuple[float, float]], all_tools: list[Tool]
) -> None:
    for i in range(runs):
        order = all_tools if i % 2 == 0 else list(reversed(all_tools))
        for t in order:
            seconds, peak = step(t, i)
            row.add(t.name, seconds, peak)
            print(f"  {row.label:<38} {t.name:<6} run {i + 1}: {seconds:7.2f} s {peak:7.0f} MiB")


def write_file(path: Path, size: int) -> None:
    block = os.urandom(4 * MiB)
    with path.open("wb") as out:
        left = size
        while left:
            n = min(left, len(block))
            out.write(block[:n])
            left -= n
            block = hashlib.sha512(block[:64]).digest() * (len(block) // 64)  # cheap, varied


def constructor(name: str, version: str, resources: list[str]) -> str:
    return (
        f"components:\n- name: {name}\n  version: {version}\n  provider: {{name: acme.org}}\n"
        "  resources:\n" + "".join(resources)
    )


def file_resource(name: str, path: str) -> str:
    return f"  - name: {name}\n    type: blob\n    input: {{type: file, path: {path}}}\n"


def text_resource(name: str, text: str) -> str:
    return f"  - name: {name}\n    type: plainText\n    input: {{type: utf8, text: '{text}'}}\n"


# --- the rows --------------------------------------------------------------------------------


def row_a(all_tools: list[Tool], runs: int, size_mib: int) -> Row:
    work = WORK / "a"
    work.mkdir(parents=True, exist_ok=True)
    write_file(work / "big.bin", size_mib * MiB)
    comp = constructor("acme.org/big-file", "1.0.0", [file_resource("data", "big.bin")])
    (work / "cc.yaml").write_text(comp)
    row = Row(f"(a) add cv, {size_mib} MiB file -> new CTF")

    def step(t: Tool, i: int) -> tuple[float, float]:
        target = work / f"ctf-{t.name}"
        shutil.rmtree(target, ignore_errors=True)
        shutil.rmtree(work / ".ocm", ignore_errors=True)
        seconds, peak, _ = run(
            t, "add", "cv", "--repository", str(target), "--constructor", "cc.yaml", cwd=work
        )
        shutil.rmtree(target, ignore_errors=True)
        return seconds, peak

    interleaved(row, runs, step, all_tools)
    return row


def row_b(all_tools: list[Tool], runs: int, size_mib: int) -> Row:
    work = WORK / "b"
    work.mkdir(parents=True, exist_ok=True)
    source, target = Registry(work / "registry-a"), Registry(work / "registry-b")
    source.start(wipe=True)
    try:
        layout, _, _ = make_layout(work / "image", size_mib * MiB)
        subprocess.run(
            [tool("skopeo"), "copy", "-q", "--dest-tls-verify=false",
             f"oci:{layout}:1.0", f"docker://{source.address}/bench/image:1.0"],
            check=True, env={**os.environ, "HOME": str(WORK / "home")},
        )  # fmt: skip
        shutil.rmtree(work / "image", ignore_errors=True)
        comp = (
            "components:\n- name: acme.org/bench-image\n  version: 1.0.0\n"
            "  provider: {name: acme.org}\n  resources:\n  - name: image\n    type: ociImage\n"
            "    version: 1.0.0\n    access:\n      type: ociArtifact\n"
            f"      imageReference: http://{source.address}/bench/image:1.0\n"
        )
        (work / "cc.yaml").write_text(comp)
        run(
            all_tools[0], "add", "cv", "--repository", source.url, "--constructor", "cc.yaml",
            cwd=work,
        )  # fmt: skip
        row = Row(f"(b) transfer --copy-resources, {size_mib} MiB image, reg -> reg")

        def step(t: Tool, i: int) -> tuple[float, float]:
            target.restart()
            seconds, peak, _ = run(
                t, "transfer", "cv", "--copy-resources",
                f"{source.url}//acme.org/bench-image:1.0.0", target.url, cwd=work,
            )  # fmt: skip
            return seconds, peak

        interleaved(row, runs, step, all_tools)
    finally:
        source.stop()
        target.stop()
    return row


def row_c(all_tools: list[Tool], runs: int, versions: int) -> Row:
    work = WORK / "c"
    work.mkdir(parents=True, exist_ok=True)
    parts = []
    for v in range(versions):
        parts.append(
            f"- name: acme.org/many-versions\n  version: 1.0.{v}\n  provider: {{name: acme.org}}\n"
            "  resources:\n"
            + "".join(text_resource(f"file{k}", f"version {v} file {k}") for k in range(3))
        )
    (work / "cc.yaml").write_text("components:\n" + "".join(parts))
    shutil.rmtree(work / "ctf", ignore_errors=True)
    run(all_tools[0], "add", "cv", "--repository", "ctf", "--constructor", "cc.yaml", cwd=work)
    target = Registry(work / "registry")
    target.start(wipe=True)
    row = Row(f"(c) transfer 1 component x {versions} versions x 3 files, CTF -> reg")
    try:

        def step(t: Tool, i: int) -> tuple[float, float]:
            target.restart()
            seconds, peak, _ = run(
                t, "transfer", "cv", "ctf//acme.org/many-versions", target.url, cwd=work
            )
            return seconds, peak

        interleaved(row, runs, step, all_tools)
    finally:
        target.stop()
    return row


def _many_resources_ctf(path: Path, count: int) -> None:
    """A CTF with one version of ``count`` external image resources (written by the library:
    nothing is fetched, neither here nor by ``get``)."""
    from pyocm.descriptor import AccessSpec, Component, Descriptor, Digest, Provider, Resource
    from pyocm.repository.ctf.ocistore import CTFStore
    from pyocm.repository.ocm import OCMRepository

    resources = []
    for i in range(count):
        digest = hashlib.sha256(f"image {i}".encode()).hexdigest()
        resources.append(
            Resource(
                name=f"image-{i}",
                version="1.0.0",
                type="ociImage",
                relation="external",
                access=AccessSpec(
                    "ociArtifact",
                    {"imageReference": f"ghcr.io/acme/image-{i}:1.0.0@sha256:{digest}"},
                ),
                digest=Digest("SHA-256", "genericBlobDigest/v1", digest),
            )
        )
    component = Component(
        "acme.org/many-resources", "1.0.0", Provider("acme.org"), resources=resources
    )
    with OCMRepository(CTFStore(path, writable=True)) as repo:
        repo.add_component_version(Descriptor(component))


def row_d(all_tools: list[Tool], runs: int, count: int) -> Row:
    work = WORK / "d"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    _many_resources_ctf(work / "ctf", count)
    row = Row(f"(d) get cv -o yaml, {count:,} resources")

    def step(t: Tool, i: int) -> tuple[float, float]:
        ref = "ctf//acme.org/many-resources:1.0.0"
        seconds, peak, out = run(t, "get", "cv", ref, "-o", "yaml", cwd=work)
        assert out.count("name: image-") >= count, f"{t.name}: short output"
        return seconds, peak

    interleaved(row, runs, step, all_tools)
    return row


RSA = "RSASSA-PSS"
OCMCONFIG = """\
type: generic.config.ocm.software/v1
configurations:
- type: credentials.config.ocm.software
  consumers:
  - identity: {{type: RSA/v1alpha1, algorithm: RSASSA-PSS, signature: bench}}
    credentials:
    - type: Credentials/v1
      properties: {{{properties}}}
"""


def row_e(all_tools: list[Tool], runs: int, count: int) -> tuple[Row, Row]:
    work = WORK / "e"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    (work / "cc.yaml").write_text(
        constructor(
            "acme.org/many-local",
            "1.0.0",
            [text_resource(f"r{i}", f"hello {i}") for i in range(count)],
        )
    )
    run(all_tools[0], "add", "cv", "--repository", "ctf", "--constructor", "cc.yaml", cwd=work)
    subprocess.run(
        ["openssl", "genrsa", "-out", str(work / "key.pem"), "2048"],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        ["openssl", "rsa", "-in", str(work / "key.pem"), "-pubout", "-out", str(work / "pub.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    (work / "sign.yaml").write_text(
        OCMCONFIG.format(properties="private_key_pem_file: key.pem, public_key_pem_file: pub.pem")
    )
    (work / "verify.yaml").write_text(OCMCONFIG.format(properties="public_key_pem_file: pub.pem"))
    sign_row = Row(f"(e) sign cv, {count:,} local resources")
    verify_row = Row(f"(e) verify cv, {count:,} local resources")
    ref = "//acme.org/many-local:1.0.0"

    def sign(t: Tool, i: int) -> tuple[float, float]:
        copy = work / f"ctf-{t.name}"
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(work / "ctf", copy)
        seconds, peak, _ = run(
            t, "--config", "sign.yaml", "sign", "cv", f"{copy.name}{ref}", "--signature", "bench",
            cwd=work,
        )  # fmt: skip
        return seconds, peak

    def verify(t: Tool, i: int) -> tuple[float, float]:
        copy = work / f"ctf-{t.name}"
        seconds, peak, _ = run(
            t, "--config", "verify.yaml", "verify", "cv", f"{copy.name}{ref}", "--signature",
            "bench", cwd=work,
        )  # fmt: skip
        return seconds, peak

    for i in range(runs):
        order = all_tools if i % 2 == 0 else list(reversed(all_tools))
        for t in order:
            for row, step in ((sign_row, sign), (verify_row, verify)):
                seconds, peak = step(t, i)
                row.add(t.name, seconds, peak)
                print(
                    f"  {row.label:<38} {t.name:<6} run {i + 1}: {seconds:7.2f} s {peak:7.0f} MiB"
                )
    return sign_row, verify_row


def row_f(all_tools: list[Tool], runs: int, calls: int) -> Row:
    work = WORK / "f"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    (work / "cc.yaml").write_text(
        constructor("acme.org/small", "1.0.0", [text_resource("readme", "hello")])
    )
    run(all_tools[0], "add", "cv", "--repository", "src", "--constructor", "cc.yaml", cwd=work)
    row = Row(f"(f) {calls} separate small transfer calls (shell loop)")

    def step(t: Tool, i: int) -> tuple[float, float]:
        shutil.rmtree(work / "targets", ignore_errors=True)
        (work / "targets").mkdir()
        script = (
            f'for i in $(seq {calls}); do "$0" transfer cv src//acme.org/small:1.0.0 '
            "targets/t$i >/dev/null || exit 1; done"
        )
        argv = ["bash", "-c", script, *t.argv]
        seconds, peak, _ = run(Tool(t.name, argv, t.env), cwd=work)
        assert len(list((work / "targets").iterdir())) == calls
        return seconds, peak

    interleaved(row, runs, step, all_tools)
    return row


# --- report ----------------------------------------------------------------------------------


def report(rows: list[Row]) -> None:
    print()
    print("| operation | pyocm | Go v2 | ratio pyocm/Go | peak RSS pyocm / Go |")
    print("|---|---|---|---|---|")
    for row in rows:
        py, go = statistics.median(row.times["pyocm"]), statistics.median(row.times["go"])
        rss = ""
        if not row.label.startswith("(f)"):
            py_rss = statistics.median(row.rss["pyocm"])
            go_rss = statistics.median(row.rss["go"])
            rss = f"{py_rss:.0f} / {go_rss:.0f} MiB"
        else:
            rss = "-"
        print(f"| {row.label} | {py:.2f} s | {go:.2f} s | {py / go:.2f} | {rss} |")
    runs = {len(v) for row in rows for v in row.times.values()}
    print(
        f"\nmedians of {'/'.join(map(str, sorted(runs)))} runs, tools alternating within each row"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="the issue's sizes")
    parser.add_argument("--rows", default="a,b,c,d,e,f", help="comma-separated rows to run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--file-mib", type=int, default=None, help="row a [256; full 1024]")
    parser.add_argument("--image-mib", type=int, default=None, help="row b [256; full 1024]")
    parser.add_argument("--versions", type=int, default=None, help="row c [50; full 200]")
    parser.add_argument("--resources", type=int, default=10_000, help="row d [10000]")
    parser.add_argument("--local", type=int, default=1_000, help="row e [1000]")
    parser.add_argument("--calls", type=int, default=None, help="row f [20; full 200]")
    parser.add_argument("--keep", action="store_true", help="keep the data under " + str(WORK))
    args = parser.parse_args()
    full = args.full
    file_mib = args.file_mib or (1024 if full else 256)
    image_mib = args.image_mib or (1024 if full else 256)
    versions = args.versions or (200 if full else 50)
    calls = args.calls or (200 if full else 20)
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    all_tools = tools()
    warm_up(all_tools[0])
    wanted = set(args.rows.split(","))
    rows: list[Row] = []
    try:
        if "a" in wanted:
            rows.append(row_a(all_tools, args.runs, file_mib))
        if "b" in wanted:
            rows.append(row_b(all_tools, args.runs, image_mib))
        if "c" in wanted:
            rows.append(row_c(all_tools, args.runs, versions))
        if "d" in wanted:
            rows.append(row_d(all_tools, args.runs, args.resources))
        if "e" in wanted:
            rows.extend(row_e(all_tools, args.runs, args.local))
        if "f" in wanted:
            rows.append(row_f(all_tools, args.runs, calls))
    finally:
        report(rows)
        if not args.keep:
            shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
