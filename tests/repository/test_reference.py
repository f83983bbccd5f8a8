"""Reference parsing, with the tables of Go v2's ``bindings/go/oci/compref/compref_test.go``."""

from __future__ import annotations

import itertools

import pytest

from pyocm.errors import OCMError
from pyocm.repository.reference import (
    ComponentRef,
    CTFSpec,
    InvalidReference,
    OCISpec,
    guess_kind,
    parse_component_reference,
    parse_repository,
)

OCI = "OCIRepository/v1"
CTF = "CommonTransportFormat/v1"
DIGEST = "sha256:5b0bcabd1ed22e9fb1310cf6c2dec7cdef19f0ad69efa1f392e94a4333501270"

# Test_ComponentReference (compref_test.go): input -> expected parse.
COMPONENT_REFERENCES = [
    (
        "github.com/open-component-model/ocm//ocm.software/ocmcli:0.23.0",
        ComponentRef(
            OCISpec("github.com", "open-component-model/ocm", OCI),
            "ocm.software/ocmcli",
            "0.23.0",
            type=OCI,
        ),
    ),
    (
        "github.com/open-component-model/ocm/component-descriptors/ocm.software/ocmcli:0.23.0",
        ComponentRef(
            OCISpec("github.com", "open-component-model/ocm", OCI),
            "ocm.software/ocmcli",
            "0.23.0",
            prefix="component-descriptors",
            type=OCI,
        ),
    ),
    (
        "oci::github.com/open-component-model/ocm/component-descriptors/ocm.software/ocmcli:0.23.0",
        ComponentRef(
            OCISpec("github.com", "open-component-model/ocm", "oci"),
            "ocm.software/ocmcli",
            "0.23.0",
            prefix="component-descriptors",
            type="oci",
        ),
    ),
    (
        "oci::http://github.com/open-component-model/ocm/component-descriptors/ocm.software/ocmcli:0.23.0",
        ComponentRef(
            OCISpec("http://github.com", "open-component-model/ocm", "oci"),
            "ocm.software/ocmcli",
            "0.23.0",
            prefix="component-descriptors",
            type="oci",
        ),
    ),
    (
        "oci::github.com:8080/open-component-model/ocm/component-descriptors/ocm.software/ocmcli:0.23.0",
        ComponentRef(
            OCISpec("github.com:8080", "open-component-model/ocm", "oci"),
            "ocm.software/ocmcli",
            "0.23.0",
            prefix="component-descriptors",
            type="oci",
        ),
    ),
    (
        "./my-path//ocm.software/ocmcli:0.23.0",
        ComponentRef(CTFSpec("./my-path", CTF), "ocm.software/ocmcli", "0.23.0", type=CTF),
    ),
    (
        "ctf::./my-path//ocm.software/ocmcli:0.23.0",
        ComponentRef(CTFSpec("./my-path", "ctf"), "ocm.software/ocmcli", "0.23.0", type="ctf"),
    ),
    (
        "ctf::./my-path//ocm.software/ocmcli",
        ComponentRef(CTFSpec("./my-path", "ctf"), "ocm.software/ocmcli", type="ctf"),
    ),
    (
        "oci::https://ghcr.io/open-component-model/ocm/component-descriptors/ocm.software/cli:1.0.0",
        ComponentRef(
            OCISpec("https://ghcr.io", "open-component-model/ocm", "oci"),
            "ocm.software/cli",
            "1.0.0",
            prefix="component-descriptors",
            type="oci",
        ),
    ),
    (
        "ctf::/tmp/ctfrepo/component-descriptors/ocm.software/cli:0.1.0",
        ComponentRef(
            CTFSpec("/tmp/ctfrepo", "ctf"),
            "ocm.software/cli",
            "0.1.0",
            prefix="component-descriptors",
            type="ctf",
        ),
    ),
    (
        "./relative/path/component-descriptors/ocm.software/component:2.0.0",
        ComponentRef(
            CTFSpec("./relative/path", CTF),
            "ocm.software/component",
            "2.0.0",
            prefix="component-descriptors",
            type=CTF,
        ),
    ),
    (
        "github.com/mandelsoft/ocm/component-descriptors/ocm.software/component",
        ComponentRef(
            OCISpec("github.com", "mandelsoft/ocm", OCI),
            "ocm.software/component",
            prefix="component-descriptors",
            type=OCI,
        ),
    ),
    (
        "oci::ghcr.io/project/component-descriptors/ocm.software/cmp:0.5.1",
        ComponentRef(
            OCISpec("ghcr.io", "project", "oci"),
            "ocm.software/cmp",
            "0.5.1",
            prefix="component-descriptors",
            type="oci",
        ),
    ),
    (
        "/absolute/path/component-descriptors/ocm.software/cmp:0.5.1",
        ComponentRef(
            CTFSpec("/absolute/path", CTF),
            "ocm.software/cmp",
            "0.5.1",
            prefix="component-descriptors",
            type=CTF,
        ),
    ),
    (
        "oci::localhost:5000/open-component-model/ocm/component-descriptors/ocm.software/test:1.2.3",
        ComponentRef(
            OCISpec("localhost:5000", "open-component-model/ocm", "oci"),
            "ocm.software/test",
            "1.2.3",
            prefix="component-descriptors",
            type="oci",
        ),
    ),
    (
        "localhost:5000/open-component-model/ocm/component-descriptors/ocm.software/test:1.2.3",
        ComponentRef(
            OCISpec("localhost:5000", "open-component-model/ocm", OCI),
            "ocm.software/test",
            "1.2.3",
            prefix="component-descriptors",
            type=OCI,
        ),
    ),
    (
        f"github.com/open-component-model/ocm//ocm.software/ocmcli:0.23.0@{DIGEST}",
        ComponentRef(
            OCISpec("github.com", "open-component-model/ocm", OCI),
            "ocm.software/ocmcli",
            "0.23.0",
            DIGEST,
            type=OCI,
        ),
    ),
    (
        f"github.com/open-component-model/ocm//ocm.software/ocmcli@{DIGEST}",
        ComponentRef(
            OCISpec("github.com", "open-component-model/ocm", OCI),
            "ocm.software/ocmcli",
            None,
            DIGEST,
            type=OCI,
        ),
    ),
    (
        r"C:\TEMP\ctf\component-descriptors\ocm.software/cli:0.1.0",
        ComponentRef(
            CTFSpec("C:/TEMP/ctf", CTF),
            "ocm.software/cli",
            "0.1.0",
            prefix="component-descriptors",
            type=CTF,
        ),
    ),
    (
        "D:/TEMP/ctf/component-descriptors/ocm.software/cli:0.1.0",
        ComponentRef(
            CTFSpec("D:/TEMP/ctf", CTF),
            "ocm.software/cli",
            "0.1.0",
            prefix="component-descriptors",
            type=CTF,
        ),
    ),
    (
        r"C:\TEMP\ctf//ocm.software/cli:0.1.0",
        ComponentRef(CTFSpec("C:/TEMP/ctf", CTF), "ocm.software/cli", "0.1.0", type=CTF),
    ),
]


@pytest.mark.parametrize(("text", "expected"), COMPONENT_REFERENCES, ids=lambda x: str(x)[:80])
def test_component_reference_table(text: str, expected: ComponentRef) -> None:
    assert parse_component_reference(text) == expected


def test_non_semver_version_is_refused_unless_relaxed() -> None:
    text = "github.com/open-component-model/ocm//ocm.software/ocmcli:invalid-0.23.0"
    with pytest.raises(InvalidReference, match=r"invalid version 'invalid-0\.23\.0'"):
        parse_component_reference(text)
    relaxed = parse_component_reference(text, strict_version=False)
    assert relaxed == ComponentRef(
        OCISpec("github.com", "open-component-model/ocm", OCI),
        "ocm.software/ocmcli",
        "invalid-0.23.0",
        type=OCI,
    )


# Test_ComponentReference_Permutations: every combination of these parts parses.
TYPE_PARTS = ["", "oci::", f"{OCI}::", "ctf::", f"{CTF}::"]
# repository input -> (is OCI when untyped, OCI base URL, OCI sub path); the OCI split is what
# Go's ParseURLAndAllowNoScheme gives (worked out by hand from url.Parse semantics).
REPO_PARTS = {
    "https://github.com/open-component-model/ocm": (
        True,
        "https://github.com",
        "open-component-model/ocm",
    ),
    "http://github.com/open-component-model/ocm": (
        True,
        "http://github.com",
        "open-component-model/ocm",
    ),
    "oci://github.com/open-component-model/ocm": (
        True,
        "oci://github.com",
        "open-component-model/ocm",
    ),
    "github.com/open-component-model/ocm": (True, "github.com", "open-component-model/ocm"),
    "localhost:5000/open-component-model/ocm": (
        True,
        "localhost:5000",
        "open-component-model/ocm",
    ),
    "./local/path": (False, ".", "local/path"),
    "file://./local/path": (False, "file://.", "local/path"),
    "/absolute/path": (False, "", "absolute/path"),
    "D:/data/archive": (False, "D:", "data/archive"),
    "1.2.3.5:5000/open-component-model/ocm": (
        True,
        "1.2.3.5:5000",
        "open-component-model/ocm",
    ),
}
PREFIXES = ["", "component-descriptors"]
COMPONENTS = ["ocm.software/cli", "ocm.software/ocmcli"]
VERSIONS = ["", ":1.2.3", ":v0.1.0"]
DIGESTS = ["", f"@{DIGEST}"]


def _permutations() -> list[tuple[str, ComponentRef]]:
    cases = []
    for type_part, repo, prefix, component, version, digest in itertools.product(
        TYPE_PARTS, REPO_PARTS, PREFIXES, COMPONENTS, VERSIONS, DIGESTS
    ):
        text = f"{type_part}{repo}/{prefix}/{component}{version}{digest}"
        untyped_oci, base_url, sub_path = REPO_PARTS[repo]
        ref_type = type_part.removesuffix("::") or (OCI if untyped_oci else CTF)
        if ref_type in ("oci", OCI):
            spec: OCISpec | CTFSpec = OCISpec(base_url, sub_path, ref_type)
        else:
            spec = CTFSpec(repo, ref_type)
        expected = ComponentRef(
            spec,
            component,
            version[1:] or None,
            digest[1:] or None,
            prefix=prefix,
            type=ref_type,
        )
        cases.append((text, expected))
    return cases


PERMUTATIONS = _permutations()


def test_permutation_count_matches_go() -> None:
    assert len(PERMUTATIONS) == 5 * 10 * 2 * 2 * 3 * 2


@pytest.mark.parametrize(("text", "expected"), PERMUTATIONS, ids=[p[0] for p in PERMUTATIONS])
def test_component_reference_permutations(text: str, expected: ComponentRef) -> None:
    parsed = parse_component_reference(text)
    assert parsed == expected
    assert expected.component in str(parsed)


# TestParseRepository: repository reference -> expected spec.
REPOSITORIES = [
    ("ghcr.io/my-org/my-repo", OCISpec("ghcr.io", "my-org/my-repo", OCI)),
    ("localhost:5000/my-repo", OCISpec("localhost:5000", "my-repo", OCI)),
    ("1.2.3.4:5000/my-repo", OCISpec("1.2.3.4:5000", "my-repo", OCI)),
    (
        "https://registry.example.com/my-repo",
        OCISpec("https://registry.example.com", "my-repo", OCI),
    ),
    ("./non-existing-archive", CTFSpec("./non-existing-archive", CTF)),
    ("../relative/path", CTFSpec("../relative/path", CTF)),
    ("../../../relative/path", CTFSpec("../../../relative/path", CTF)),
    ("../a/../b", CTFSpec("../a/../b", CTF)),
    ("file://../rel/archive", CTFSpec("file://../rel/archive", CTF)),
    ("https://ghcr.io/a/../b", OCISpec("https://ghcr.io", "a/../b", OCI)),
    (
        "oci::http://github.com/open-component-model/ocm/../ocm",
        OCISpec("http://github.com", "open-component-model/ocm/../ocm", "oci"),
    ),
    ("ghcr.io/my-org/repo/../repo", OCISpec("ghcr.io", "my-org/repo/../repo", OCI)),
    ("ghcr.io/team..name", OCISpec("ghcr.io", "team..name", OCI)),
    ("localhost:5000/a..b", OCISpec("localhost:5000", "a..b", OCI)),
    ("registry.io:5000/x/../y", OCISpec("registry.io:5000", "x/../y", OCI)),
    ("./test.path.with.dot", CTFSpec("./test.path.with.dot", CTF)),
    ("test/../../neighbour", CTFSpec("test/../../neighbour", CTF)),
    ("/tmp/test-archive", CTFSpec("/tmp/test-archive", CTF)),
    (r"C:\TEMP\ctf", CTFSpec(r"C:\TEMP\ctf", CTF)),
    ("D:/TEMP/ctf", CTFSpec("D:/TEMP/ctf", CTF)),
    (r"C:\Users\test\repos\my-archive", CTFSpec(r"C:\Users\test\repos\my-archive", CTF)),
    ("file://./local/transport-archive", CTFSpec("file://./local/transport-archive", CTF)),
    ("oci::ghcr.io/my-org/my-repo", OCISpec("ghcr.io", "my-org/my-repo", "oci")),
    ("ctf::./local/archive", CTFSpec("./local/archive", "ctf")),
    ("archive.tar.gz", CTFSpec("archive.tar.gz", CTF)),
    ("archive.tgz", CTFSpec("archive.tgz", CTF)),
    ("archive.tar", CTFSpec("archive.tar", CTF)),
]


@pytest.mark.parametrize(("text", "expected"), REPOSITORIES, ids=[r[0] for r in REPOSITORIES])
def test_repository_table(text: str, expected: OCISpec | CTFSpec) -> None:
    assert parse_repository(text) == expected


@pytest.mark.parametrize("text", ["unknown::some-repo", "invalid-type-format::some-repo"])
def test_unknown_repository_type_is_refused(text: str) -> None:
    with pytest.raises(InvalidReference, match="unsupported repository type"):
        parse_repository(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            ComponentRef(
                OCISpec("ghcr.io", "open-component-model/ocm"),
                "ocm.software/cli",
                "1.0.0",
                prefix="component-descriptors",
                type="oci",
            ),
            "oci::ghcr.io/open-component-model/ocm/component-descriptors/ocm.software/cli:1.0.0",
        ),
        (
            ComponentRef(OCISpec("ghcr.io"), "ocm.software/cli", digest=DIGEST, type="oci"),
            f"oci::ghcr.io//ocm.software/cli@{DIGEST}",
        ),
        (
            ComponentRef(
                CTFSpec("./my-archive.tar"),
                "ocm.software/cli",
                "1.0.0",
                DIGEST,
                prefix="component-descriptors",
                type="ctv",
            ),
            f"ctv::./my-archive.tar/component-descriptors/ocm.software/cli:1.0.0@{DIGEST}",
        ),
        (
            ComponentRef(OCISpec("localhost:5000"), "ocm.software/test"),
            "localhost:5000//ocm.software/test",
        ),
    ],
)
def test_reference_renders_back(text: ComponentRef, expected: str) -> None:
    assert str(text) == expected


# One case per type-guessing rule (cli.md §1.4), in rule order.
@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (r"X:\archive", "ctf"),  # 1 Windows absolute path
        ("X:/archive.d", "ctf"),  # 1 also with a forward slash
        ("file:///abs/archive.io", "ctf"),  # 2 file URL
        ("http://localhost", "oci"),  # 2 any other scheme
        ("oci://my.registry", "oci"),
        ("/abs/my.dir", "ctf"),  # 3 absolute path, although it has a dotted part
        ("../up/my.dir", "ctf"),  # 4 cleaned path starts with ..
        ("./my.dir", "ctf"),  # 4 starts with ./
        ("a/../../b.c", "ctf"),  # 4 cleans to ../b.c
        ("localhost", "oci"),  # 5 localhost
        ("1.2.3.4:5000", "oci"),  # 5 contains a colon
        ("Archive.TGZ", "ctf"),  # 6 archive suffix, any case
        ("dir.d/archive.tar.gz", "ctf"),  # 6 before the domain rule
        ("ghcr.io", "oci"),  # 7 dotted part with a letter
        ("my.path", "oci"),  # 7 a dotted directory needs ctf::
        ("transport-archive", "ctf"),  # 8 fallback
        ("a/b/c", "ctf"),  # 8 fallback
        ("1.2.3", "ctf"),  # 8 dots but no letter
    ],
)
def test_type_guess_rules(text: str, kind: str) -> None:
    assert guess_kind(text) == kind


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("ghcr.io/acme.org/product:1.0.0", "expected <repository>//<component>"),
        ("ctf::./archive//Acme.org/app:1.0.0", "invalid component name 'Acme.org/app'"),
        ("ctf::./archive//acme/app:1.0.0", "invalid component name 'acme/app'"),
        ("ctf::./archive//acme.org:1.0.0", "invalid component name 'acme.org'"),
        ("ctf::./archive//acme.org/app:01.0.0", "invalid version '01.0.0'"),
        ("ctf::./archive//acme.org/app@sha256:abc", "invalid digest 'sha256:abc'"),
        ("ctf::./archive/component-descriptors/", "missing component after prefix"),
        ("ctf::./archive//", "missing component after prefix"),
        ("foo::./archive//acme.org/app", "unsupported repository type 'foo'"),
        ("ctf/v2::./archive//acme.org/app", "unsupported repository type 'ctf/v2'"),
        ("oci::ghcr.io:abc//acme.org/app", "invalid repository URL"),
        ("ctf:://acme.org/app", "the repository is empty"),
    ],
)
def test_invalid_component_references(text: str, message: str) -> None:
    with pytest.raises(InvalidReference, match=message) as info:
        parse_component_reference(text)
    assert isinstance(info.value, OCMError)
    assert "\n" not in str(info.value)
    assert repr(text) in str(info.value)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("CommonTransportFormat", "ctf"),
        ("CommonTransportFormat/v1", "ctf"),
        ("CTF", "ctf"),
        ("CTF/v1", "ctf"),
        ("ctf", "ctf"),
        ("ctf/v1", "ctf"),
        ("OCIRepository", "oci"),
        ("OCIRepository/v1", "oci"),
        ("OCI", "oci"),
        ("OCI/v1", "oci"),
        ("oci", "oci"),
        ("oci/v1", "oci"),
        ("OCIRegistry", "oci"),
        ("OCIRegistry/v1", "oci"),
        ("ociRegistry", "oci"),
        ("ociRegistry/v1", "oci"),
    ],
)
def test_type_names_and_aliases(name: str, kind: str) -> None:
    spec = parse_repository(f"{name}::ghcr.io/acme")
    assert isinstance(spec, CTFSpec if kind == "ctf" else OCISpec)
    assert spec.type == name


def test_type_names_are_case_sensitive() -> None:
    with pytest.raises(InvalidReference, match="unsupported repository type 'Ctf'"):
        parse_repository("Ctf::./archive")


def test_oci_spec_scheme_and_insecure() -> None:
    plain = parse_repository("http://127.0.0.1:5001/acme")
    assert isinstance(plain, OCISpec)
    assert (plain.scheme, plain.host, plain.insecure) == ("http", "127.0.0.1:5001", True)
    tls = parse_repository("ghcr.io")
    assert isinstance(tls, OCISpec)
    assert (tls.scheme, tls.host, tls.insecure, tls.sub_path) == ("", "ghcr.io", False, "")


def test_ctf_path_strips_file_scheme() -> None:
    spec = parse_repository("file://./local/archive")
    assert isinstance(spec, CTFSpec)
    assert spec.path == "./local/archive"
