"""Resolvers end to end through ``ocm``: get, transfer, add, sign/verify and download with
component versions spread over several repositories (cli.md §7.5 items 18/29, §7.6 item 31,
§7.7 item 40)."""

from __future__ import annotations

import json
import subprocess
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from fixtures.cli import error_line, ok
from fixtures.registry import RegistryServer
from fixtures.signing import write_key_pair

RunOcm = Callable[..., subprocess.CompletedProcess[str]]

PARENT = "ocm.software/parent"
CHILD = "ocm.software/child"
MIGRATION_LINK = (
    "https://ocm.software/docs/how-to/migrate-from-fallback-to-deterministic-repository-resolvers/"
)


def _component(name: str, text: str, refs: tuple[str, ...] = ()) -> str:
    references = "".join(
        f"  - {{name: {r.rsplit('/', 1)[-1]}, componentName: {r}, version: v1.0.0}}\n" for r in refs
    )
    return (
        f"- name: {name}\n  version: v1.0.0\n  provider: {{name: ocm.software}}\n"
        + (f"  componentReferences:\n{references}" if references else "")
        + f"  resources:\n  - name: {name.rsplit('/', 1)[-1]}-resource\n    version: v1.0.0\n"
        f"    type: plainText\n    input: {{type: utf8, text: {text!r}}}\n"
    )


def _constructor(path: Path, *components: str) -> str:
    path.write_text("components:\n" + "".join(components))
    return str(path)


def _config(path: Path, *entries: str) -> str:
    path.write_text("type: generic.config.ocm.software/v1\nconfigurations:\n" + "".join(entries))
    return str(path)


def _resolvers(*pairs: tuple[str, str]) -> str:
    """A resolvers.config entry routing each glob to a repository given as a typed spec."""
    items = "".join(
        f"  - repository: {spec}\n    componentNamePattern: {pattern!r}\n"
        for spec, pattern in pairs
    )
    return f"- type: resolvers.config.ocm.software/v1alpha1\n  resolvers:\n{items}"


def _fallbacks(*specs: str) -> str:
    items = "".join(f"  - repository: {spec}\n" for spec in specs)
    return f"- type: ocm.config.ocm.software\n  resolvers:\n{items}"


def _ctf(path: Path) -> str:
    return f"{{type: CommonTransportFormat/v1, filePath: {str(path)!r}}}"


def _names(listed: str) -> list[str]:
    return [d["component"]["name"] for d in json.loads(listed)]


@pytest.fixture
def split(run_ocm: RunOcm, tmp_path: Path) -> Path:
    """CTF ``b`` with the child; CTF ``a`` with the parent referencing it, added with a
    resolver config (``resolvers.yaml``) routing the parent to ``a`` and the child to ``b``
    (the Go integration test's setup)."""
    child = _constructor(tmp_path / "child.yaml", _component(CHILD, "child resource content"))
    ok(run_ocm("add", "cv", "--repository", "ctf::b", "--constructor", child, cwd=tmp_path))
    config = _config(
        tmp_path / "resolvers.yaml",
        _resolvers((_ctf(tmp_path / "a"), PARENT), (_ctf(tmp_path / "b"), CHILD)),
    )
    parent = _constructor(
        tmp_path / "parent.yaml", _component(PARENT, "parent resource content", (CHILD,))
    )
    ok(
        run_ocm(
            "add",
            "cv",
            "--repository",
            "ctf::a",
            "--constructor",
            parent,
            "--config",
            config,
            "--skip-reference-digest-processing",
            cwd=tmp_path,
        )
    )
    return tmp_path


# --- item 31: get cv --recursive across two registry repositories ----------------------------


def test_get_recursive_routes_a_reference_to_another_registry_repository(
    run_ocm: RunOcm, registry: RegistryServer, tmp_path: Path
) -> None:
    prefix = f"resolvers-{uuid.uuid4().hex[:8]}"
    reg_a, reg_b = f"{registry.url}/{prefix}/reg-a", f"{registry.url}/{prefix}/reg-b"
    a, b = "ocm.software/resolver-test/component-a", "ocm.software/resolver-test/component-b"
    constructor_b = _constructor(tmp_path / "b.yaml", _component(b, "resource from component-b"))
    ok(run_ocm("add", "cv", "--repository", reg_b, "--constructor", constructor_b, cwd=tmp_path))
    spec_b = f"{{type: OCIRepository/v1, baseUrl: {registry.url!r}, subPath: {prefix}/reg-b}}"
    config = _config(tmp_path / "resolvers.yaml", _resolvers((spec_b, b)))
    constructor_a = _constructor(
        tmp_path / "a.yaml", _component(a, "resource from component-a", (b,))
    )
    ok(
        run_ocm(
            "add",
            "cv",
            "--repository",
            reg_a,
            "--constructor",
            constructor_a,
            "--config",
            config,
            "--external-component-version-copy-policy",
            "skip",
            "--skip-reference-digest-processing",
            cwd=tmp_path,
        )
    )

    got = ok(
        run_ocm(
            "get",
            "cv",
            f"{reg_a}//{a}:v1.0.0",
            "--recursive",
            "--config",
            config,
            "-o",
            "json",
            cwd=tmp_path,
        )
    )
    assert _names(got.stdout) == [a, b]

    # b is not in reg-a: without the resolver the recursion cannot reach it ...
    no_child = run_ocm("get", "cv", f"{reg_a}//{a}:v1.0.0", "--recursive", "-o", "json")
    assert f"component version {b}:v1.0.0 not found" in error_line(no_child)
    # ... and asking reg-a for b fails, with or without the resolver: the component a
    # reference names is looked up in the reference's repository first (Go's chain)
    for extra in ((), ("--config", config)):
        direct = run_ocm("get", "cv", f"{reg_a}//{b}:v1.0.0", "-o", "json", *extra, cwd=tmp_path)
        assert f"component version {b}:v1.0.0 not found" in error_line(direct)


# --- item 40: transfer --recursive reads each version and its blobs where it lives ----------


def test_transfer_recursive_copies_a_child_from_another_ctf_with_its_blob(
    run_ocm: RunOcm, split: Path
) -> None:
    ok(
        run_ocm(
            "transfer",
            "cv",
            f"ctf::a//{PARENT}:v1.0.0",
            "ctf::c",
            "--recursive",
            "--config",
            "resolvers.yaml",
            cwd=split,
        )
    )
    listed = ok(run_ocm("get", "cv", "ctf::c", "-o", "json", cwd=split))
    assert sorted(_names(listed.stdout)) == [CHILD, PARENT]
    ok(
        run_ocm(
            "download",
            "resource",
            f"ctf::c//{CHILD}:v1.0.0",
            "--identity",
            "name=child-resource",
            "--output",
            "child.txt",
            cwd=split,
        )
    )
    assert (split / "child.txt").read_bytes() == b"child resource content"

    alone = run_ocm(
        "transfer", "cv", f"ctf::a//{PARENT}:v1.0.0", "ctf::d", "--recursive", cwd=split
    )
    assert f"component version {CHILD}:v1.0.0 not found" in error_line(alone)
    assert not (split / "d").exists()  # the failed transfer wrote nothing, not even a CTF


def test_download_resource_ignores_the_configured_resolvers(run_ocm: RunOcm, split: Path) -> None:
    done = run_ocm(
        "download",
        "resource",
        f"ctf::a//{CHILD}:v1.0.0",
        "--identity",
        "name=child-resource",
        "--config",
        "resolvers.yaml",
        "--output",
        "x.txt",
        cwd=split,
    )
    assert f"component version {CHILD}:v1.0.0 not found" in error_line(done)


# --- items 18/29: add cv with references outside the constructor file ----------------------


@pytest.fixture
def external(run_ocm: RunOcm, tmp_path: Path) -> Path:
    """CTF ``external`` with ocm.software/external (a utf8 resource)."""
    constructor = _constructor(
        tmp_path / "external.yaml", _component("ocm.software/external", "I come from external!")
    )
    ok(run_ocm("add", "cv", "--repository", "external", "--constructor", constructor, cwd=tmp_path))
    return tmp_path


REFERRING = _component("ocm.software/first", "I come from A") + _component(
    "ocm.software/second", "I come from B", ("ocm.software/first", "ocm.software/external")
)


@pytest.mark.parametrize("kind", ["resolvers", "deprecated"])
@pytest.mark.parametrize("policy", ["skip", "copy-or-fail"])
def test_add_resolves_external_references_and_copies_them_on_request(
    run_ocm: RunOcm, external: Path, kind: str, policy: str
) -> None:
    entry = (
        _resolvers((_ctf(external / "external"), "ocm.software/*"))
        if kind == "resolvers"
        else _fallbacks(_ctf(external / "external"))
    )
    config = _config(external / "config.yaml", entry)
    constructor = _constructor(external / "referring.yaml", REFERRING)
    added = ok(
        run_ocm(
            "add",
            "cv",
            "--repository",
            "target",
            "--constructor",
            constructor,
            "--config",
            config,
            "--external-component-version-copy-policy",
            policy,
            "-o",
            "json",
            cwd=external,
        )
    )
    assert (MIGRATION_LINK in added.stderr) is (kind == "deprecated")
    # the output lists the versions the constructor file added, not the external one
    assert _names(added.stdout) == ["ocm.software/second", "ocm.software/first"]
    listed = ok(run_ocm("get", "cv", "target", "-o", "json", cwd=external))
    in_target = sorted(_names(listed.stdout))
    if policy == "skip":
        assert in_target == ["ocm.software/first", "ocm.software/second"]
        return
    assert in_target == ["ocm.software/external", "ocm.software/first", "ocm.software/second"]
    ok(
        run_ocm(
            "download",
            "resource",
            "target//ocm.software/external:v1.0.0",
            "--identity",
            "name=external-resource",
            "--output",
            "copied.txt",
            cwd=external,
        )
    )
    assert (external / "copied.txt").read_bytes() == b"I come from external!"
    # the copy verifies the reference digest in the target alone
    ok(run_ocm("get", "cv", "target//ocm.software/second:v1.0.0", "--recursive", cwd=external))


def test_add_fails_on_an_external_reference_nothing_resolves(
    run_ocm: RunOcm, tmp_path: Path
) -> None:
    constructor = _constructor(tmp_path / "referring.yaml", REFERRING)
    done = run_ocm(
        "add", "cv", "--repository", "target", "--constructor", constructor, cwd=tmp_path
    )
    assert "component version ocm.software/external:v1.0.0 is neither in the constructor file" in (
        error_line(done)
    )


def test_add_into_a_registry_with_resolvers_configured(
    run_ocm: RunOcm, registry: RegistryServer, external: Path
) -> None:
    # item 18: the external version is in the file too; the resolvers are not needed
    target = f"{registry.url}/resolvers-{uuid.uuid4().hex[:8]}"
    constructor = _constructor(
        external / "both.yaml",
        _component("ocm.software/test-component", "Hello", ("ocm.software/test-external",)),
        _component("ocm.software/test-external", "Hello from external"),
    )
    for name, entry in (
        ("resolvers", _resolvers((f"{{type: OCIRepository/v1, baseUrl: {target!r}}}", "*"))),
        ("deprecated", _fallbacks("{type: OCIRepository, hostname: 127.0.0.1}")),
    ):
        config = _config(external / f"{name}.yaml", entry)
        ok(
            run_ocm(
                "add",
                "cv",
                "--repository",
                f"{target}/{name}",
                "--constructor",
                constructor,
                "--config",
                config,
                cwd=external,
            )
        )
        got = ok(
            run_ocm(
                "get",
                "cv",
                f"{target}/{name}//ocm.software/test-component:v1.0.0",
                "--recursive",
                "-o",
                "json",
                cwd=external,
            )
        )
        assert _names(got.stdout) == ["ocm.software/test-component", "ocm.software/test-external"]


# --- get with the deprecated resolvers and both kinds at once -------------------------------


def test_deprecated_resolvers_fall_back_to_the_next_repository(
    run_ocm: RunOcm, split: Path
) -> None:
    config = _config(split / "fallback.yaml", _fallbacks(_ctf(split / "b")))
    got = ok(
        run_ocm("get", "cv", f"ctf::a//{CHILD}:v1.0.0", "--config", config, "-o", "json", cwd=split)
    )
    assert _names(got.stdout) == [CHILD]
    assert MIGRATION_LINK in got.stderr
    assert "level=WARN" in got.stderr


def test_both_kinds_of_resolvers_are_refused(run_ocm: RunOcm, split: Path) -> None:
    config = _config(
        split / "both.yaml",
        _resolvers((_ctf(split / "b"), CHILD)),
        _fallbacks(_ctf(split / "b")),
    )
    for args in (
        ("get", "cv", f"ctf::a//{PARENT}:v1.0.0"),
        ("transfer", "cv", f"ctf::a//{PARENT}:v1.0.0", "ctf::c"),
        ("verify", "cv", f"ctf::a//{PARENT}:v1.0.0"),
    ):
        assert error_line(run_ocm(*args, "--config", config, cwd=split)) == (
            "Error: both path matcher and fallback resolvers are configured, "
            "only one type is allowed"
        )


# --- sign and verify: reference digests checked through the resolvers ----------------------


def _keys(work: Path) -> str:
    write_key_pair(work)
    return (
        "- type: credentials.config.ocm.software\n  consumers:\n"
        "  - identity: {type: RSA/v1alpha1, algorithm: RSASSA-PSS, signature: default}\n"
        "    credentials:\n    - type: RSACredentials/v1\n"
        "      privateKeyPEMFile: private.pem\n      publicKeyPEMFile: public.pem\n"
    )


def test_verify_checks_the_reference_digest_of_a_child_in_another_repository(
    run_ocm: RunOcm, split: Path
) -> None:
    keys = _keys(split)
    routed = _config(split / "routed.yaml", keys, _resolvers((_ctf(split / "b"), CHILD)))
    ok(
        run_ocm(
            "sign",
            "cv",
            f"ctf::a//{PARENT}:v1.0.0",
            "--verify-digests",
            "--config",
            routed,
            cwd=split,
        )
    )
    verified = ok(
        run_ocm("verify", "cv", f"ctf::a//{PARENT}:v1.0.0", "--config", routed, cwd=split)
    )
    assert "SIGNATURE VERIFICATION SUCCESSFUL" in verified.stderr

    unrouted = _config(split / "keys.yaml", keys)
    alone = run_ocm("verify", "cv", f"ctf::a//{PARENT}:v1.0.0", "--config", unrouted, cwd=split)
    line = error_line(alone)
    assert line.startswith(
        f"Error: SIGNATURE VERIFICATION FAILED: reference 'child' of {PARENT}:v1.0.0 names {CHILD}"
    )
    assert "--verify-digests=false" in line

    # another child of the same name and version elsewhere does not match the pinned digest
    other = _constructor(split / "other.yaml", _component(CHILD, "a different child"))
    ok(run_ocm("add", "cv", "--repository", "ctf::other", "--constructor", other, cwd=split))
    rerouted = _config(split / "rerouted.yaml", keys, _resolvers((_ctf(split / "other"), CHILD)))
    wrong = run_ocm("verify", "cv", f"ctf::a//{PARENT}:v1.0.0", "--config", rerouted, cwd=split)
    assert "digest mismatch for reference 'child'" in error_line(wrong)


# --- credentials for resolver repositories come from the same configuration ----------------


def test_resolver_registries_get_the_configured_credentials(
    run_ocm: RunOcm, secure_registry: RegistryServer, tmp_path: Path
) -> None:
    server = secure_registry
    trust = {"SSL_CERT_FILE": str(server.ca_file)}
    credentials = (
        "- type: credentials.config.ocm.software\n  consumers:\n"
        f"  - identity: {{type: OCIRegistry, hostname: {server.host}, port: '{server.port}',"
        " scheme: https}\n"
        f"    credentials: [{{type: Credentials/v1, properties: {{username: {server.username},"
        f" password: {server.password}}}}}]\n"
    )
    children = f"{server.url}/resolvers-{uuid.uuid4().hex[:8]}"
    child = _constructor(tmp_path / "child.yaml", _component(CHILD, "child behind a login"))
    login = _config(tmp_path / "login.yaml", credentials)
    ok(
        run_ocm(
            "add",
            "cv",
            "--repository",
            children,
            "--constructor",
            child,
            "--config",
            login,
            cwd=tmp_path,
            env=trust,
        )
    )
    route = _resolvers((f"{{type: OCIRepository/v1, baseUrl: {children!r}}}", CHILD))
    routed = _config(tmp_path / "routed.yaml", credentials, route)
    parent = _constructor(
        tmp_path / "parent.yaml", _component(PARENT, "parent resource content", (CHILD,))
    )
    ok(
        run_ocm(
            "add",
            "cv",
            "--repository",
            "ctf::a",
            "--constructor",
            parent,
            "--config",
            routed,
            cwd=tmp_path,
            env=trust,
        )
    )
    got = ok(
        run_ocm(
            "get",
            "cv",
            f"ctf::a//{PARENT}:v1.0.0",
            "--recursive",
            "-o",
            "json",
            "--config",
            routed,
            cwd=tmp_path,
            env=trust,
        )
    )
    assert _names(got.stdout) == [PARENT, CHILD]

    anonymous = _config(tmp_path / "anonymous.yaml", route)
    refused = run_ocm(
        "get",
        "cv",
        f"ctf::a//{PARENT}:v1.0.0",
        "--recursive",
        "--config",
        anonymous,
        cwd=tmp_path,
        env=trust,
    )
    assert f"401 Unauthorized (no credentials for {server.address})" in error_line(refused)
