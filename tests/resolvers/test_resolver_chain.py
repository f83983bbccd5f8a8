"""The resolver chain: order, first match, version constraints, the deprecated fallback
resolvers, repository caching, and reads routed to the repository holding a version."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import pytest
from resolvertools import CountingOpener, add_version, blob_content, ctf_with

from pyocm.config.merge import (
    LegacyResolver,
    Resolver,
    flatten_document,
    legacy_resolvers_config,
    resolvers_config,
)
from pyocm.config.model import Config
from pyocm.errors import NotFound, OCMError
from pyocm.graph import resolve_graph
from pyocm.repository import (
    CTFSpec,
    InvalidReference,
    OCISpec,
    open_repository,
    spec_from_mapping,
    spec_to_mapping,
)
from pyocm.repository.resolvers import Route, canonical_key, resolver_chain

APP = "acme.org/app"
LIB = "acme.org/lib"
TOOL = "acme.org/tools/cli"


def _ctf(path: Path) -> dict[str, Any]:
    return {"type": "CommonTransportFormat/v1", "filePath": str(path)}


@pytest.fixture
def repos(tmp_path: Path) -> dict[str, Path]:
    """Three CTFs: a (app 1.0.0), b (lib 1.0.0 and 2.0.0, tool 1.0.0), c (lib 2.0.0)."""
    return {
        "a": ctf_with(tmp_path / "a", (APP, "1.0.0")),
        "b": ctf_with(tmp_path / "b", (LIB, "1.0.0"), (LIB, "2.0.0"), (TOOL, "1.0.0")),
        "c": ctf_with(tmp_path / "c", (LIB, "2.0.0")),
    }


def _holder(chain: Any, name: str, version: str, repos: dict[str, Path]) -> str:
    """Which CTF (a, b or c) served ``name:version``, told by its blob content."""
    descriptor = chain.get_component_version(name, version)
    access = descriptor.component.resources[0].access
    with chain.get_local_blob(name, version, access).open() as f:
        content = f.read()
    (which,) = [k for k, p in repos.items() if content == blob_content(p, name, version)]
    return which


# --- specifications --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            {"type": "OCIRepository/v1", "baseUrl": "http://127.0.0.1:5000"},
            OCISpec("http://127.0.0.1:5000", "", "OCIRepository/v1"),
        ),
        (
            {"type": "OCIRepository/v1", "baseUrl": "ghcr.io/acme/ocm"},
            OCISpec("ghcr.io", "acme/ocm", "OCIRepository/v1"),
        ),
        (
            {"type": "OCIRegistry", "baseUrl": "ghcr.io/ignored", "subPath": "acme/ocm"},
            OCISpec("ghcr.io", "acme/ocm", "OCIRegistry"),
        ),
        (
            {"type": "oci/v1", "baseUrl": "https://r.example:8443/"},
            OCISpec("https://r.example:8443", "", "oci/v1"),
        ),
        (
            {"type": "CTF", "filePath": "./archive", "accessMode": "readonly"},
            CTFSpec("./archive", "CTF"),
        ),
    ],
)
def test_typed_specs_name_repositories_as_go_reads_them(
    data: dict[str, Any], expected: object
) -> None:
    assert spec_from_mapping(data) == expected


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"baseUrl": "ghcr.io"}, "r0: a repository specification needs a type"),
        ({"type": "Helm/v1", "url": "x"}, "r0: unsupported repository type 'Helm/v1'"),
        ({"type": "OCIRepository/v2", "baseUrl": "x"}, "unsupported repository type"),
        ({"type": "OCIRepository/v1"}, "r0: repository type 'OCIRepository/v1' needs baseUrl"),
        ({"type": "CTF/v1", "filePath": ""}, "r0: repository type 'CTF/v1' needs filePath"),
    ],
)
def test_unusable_specs_are_refused_naming_where(data: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidReference, match=message):
        spec_from_mapping(data, "r0")


def test_specs_write_back_to_their_typed_form() -> None:
    assert spec_to_mapping(OCISpec("ghcr.io", "acme", "OCI")) == {
        "type": "OCI",
        "baseUrl": "ghcr.io",
        "subPath": "acme",
    }
    assert spec_to_mapping(CTFSpec("./a")) == {
        "type": "CommonTransportFormat/v1",
        "filePath": "./a",
    }


def test_the_same_repository_spelled_two_ways_has_one_cache_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert canonical_key(CTFSpec("./a", "ctf")) == canonical_key(
        spec_from_mapping({"type": "CommonTransportFormat/v1", "filePath": str(tmp_path / "a")})
    )
    assert canonical_key(OCISpec("h:1", "x", "OCI")) == canonical_key(
        spec_from_mapping({"type": "OCIRepository/v1", "baseUrl": "h:1/x"})
    )
    assert canonical_key(OCISpec("h:1", "x")) != canonical_key(OCISpec("http://h:1", "x"))


# --- path matching (resolvers.config) --------------------------------------------------------


def test_each_component_is_read_from_the_first_matching_resolver(
    repos: dict[str, Path],
) -> None:
    configured = [
        Resolver(_ctf(repos["c"]), "acme.org/lib"),
        Resolver(_ctf(repos["b"]), "acme.org/{lib,t*}"),
    ]
    with resolver_chain(
        CTFSpec(str(repos["a"])), opener=open_repository, configured=configured
    ) as chain:
        assert _holder(chain, APP, "1.0.0", repos) == "a"  # catch-all
        assert _holder(chain, LIB, "2.0.0", repos) == "c"  # first match, b also has it
        assert _holder(chain, TOOL, "1.0.0", repos) == "b"  # "*" crosses "/"


def test_the_first_match_serves_even_without_the_version(repos: dict[str, Path]) -> None:
    # c matches acme.org/lib but has no 1.0.0; b has it, but is not asked (Go's path matcher).
    configured = [
        Resolver(_ctf(repos["c"]), "acme.org/lib"),
        Resolver(_ctf(repos["b"]), "*"),
    ]
    with resolver_chain(
        CTFSpec(str(repos["a"])), opener=open_repository, configured=configured
    ) as chain:
        with pytest.raises(
            NotFound, match=re.escape(f"component version {LIB}:1.0.0 not found in CTF")
        ):
            chain.get_component_version(LIB, "1.0.0")
        assert not chain.has_component_version(LIB, "1.0.0")
        assert chain.list_component_versions(LIB) == ["2.0.0"]


def test_the_reference_component_is_read_from_the_reference_repository_first(
    repos: dict[str, Path],
) -> None:
    # b is configured for every component; lib named by the command still comes from c.
    configured = [Resolver(_ctf(repos["b"]), "*")]
    with resolver_chain(
        CTFSpec(str(repos["c"])),
        opener=open_repository,
        component_patterns=[LIB],
        configured=configured,
    ) as chain:
        assert _holder(chain, LIB, "2.0.0", repos) == "c"
        assert chain.list_component_versions(LIB) == ["2.0.0"]
        assert _holder(chain, TOOL, "1.0.0", repos) == "b"


def test_without_base_or_match_a_component_is_not_found(repos: dict[str, Path]) -> None:
    configured = [Resolver(_ctf(repos["b"]), "acme.org/lib")]
    with resolver_chain(None, opener=open_repository, configured=configured) as chain:
        with pytest.raises(NotFound, match=re.escape(f"no resolver matches component {APP}:1.0.0")):
            chain.get_component_version(APP, "1.0.0")
        assert not chain.has_component_version(APP, "1.0.0")
        with pytest.raises(OCMError, match="without a base repository cannot list"):
            chain.list_components()


def test_version_constraints_route_versions_and_skip_unknown_ones(
    repos: dict[str, Path],
) -> None:
    configured = [
        Resolver(_ctf(repos["b"]), "acme.org/lib", ">= 1.0.0, < 2.0.0"),
        Resolver(_ctf(repos["c"]), "acme.org/lib", ">= 2.0.0"),
        Resolver(_ctf(repos["b"]), "acme.org/*"),
    ]
    with resolver_chain(
        CTFSpec(str(repos["a"])), opener=open_repository, configured=configured
    ) as chain:
        assert chain.specs_for(LIB, "1.0.0") == [spec_from_mapping(_ctf(repos["b"]))]
        assert _holder(chain, LIB, "1.0.0", repos) == "b"
        assert _holder(chain, LIB, "2.0.0", repos) == "c"
        # the v prefix is accepted (Masterminds NewVersion), prereleases are not in >= 2.0.0
        assert chain.specs_for(LIB, "v2.1") == chain.specs_for(LIB, "2.0.0")
        assert chain.specs_for(LIB, "2.1.0-rc.1") == chain.specs_for(LIB, "1.0.0")
        # unknown or non-semver versions skip the constrained entries
        assert chain.specs_for(LIB, "latest") == chain.specs_for(LIB, "1.0.0")
        assert chain.list_component_versions(LIB) == ["1.0.0", "2.0.0"]


def test_a_resolver_without_pattern_matches_every_component(repos: dict[str, Path]) -> None:
    configured = [Resolver(_ctf(repos["b"]))]
    with resolver_chain(
        CTFSpec(str(repos["a"])), opener=open_repository, configured=configured
    ) as chain:
        assert chain.specs_for(APP, "1.0.0") == [spec_from_mapping(_ctf(repos["b"]))]
        with pytest.raises(NotFound):  # b matches first; a, which has it, is not asked
            chain.get_component_version(APP, "1.0.0")


@pytest.mark.parametrize(
    ("resolver", "message"),
    [
        (
            Resolver({"type": "CTF", "filePath": "x"}, "acme.org/[a-"),
            "resolvers.config.ocm.software resolver 1: invalid componentNamePattern "
            "(invalid glob pattern 'acme.org/[a-': unexpected end of input)",
        ),
        (
            Resolver({"type": "CTF", "filePath": "x"}, "*", "not-valid"),
            "resolvers.config.ocm.software resolver 1: invalid versionConstraint",
        ),
    ],
)
def test_invalid_patterns_and_constraints_are_refused_naming_the_entry(
    resolver: Resolver, message: str
) -> None:
    configured = [Resolver({"type": "CTF", "filePath": "ok"}, "acme.org/*"), resolver]
    with pytest.raises(OCMError) as caught:
        resolver_chain(CTFSpec("base"), opener=open_repository, configured=configured)
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize(
    ("repository", "message"),
    [
        (None, "resolvers.config.ocm.software resolver 1: no repository given"),
        (
            {"type": "Git/v1", "url": "x"},
            "resolvers.config.ocm.software resolver 1: repository: unsupported repository "
            "type 'Git/v1'",
        ),
        (
            {"type": "OCIRepository", "hostname": "x"},
            "resolvers.config.ocm.software resolver 1: repository: repository type "
            "'OCIRepository' needs baseUrl",
        ),
    ],
)
def test_unusable_repositories_fail_only_when_a_component_routes_to_them(
    repos: dict[str, Path], repository: dict[str, Any] | None, message: str
) -> None:
    configured = [
        Resolver(_ctf(repos["b"]), "acme.org/lib"),
        Resolver(repository, "acme.org/tools/*"),
    ]
    with resolver_chain(
        CTFSpec(str(repos["a"])), opener=open_repository, configured=configured
    ) as chain:
        assert _holder(chain, LIB, "1.0.0", repos) == "b"
        assert _holder(chain, APP, "1.0.0", repos) == "a"
        with pytest.raises(OCMError) as caught:
            chain.get_component_version(TOOL, "1.0.0")
    assert str(caught.value).startswith(f"cannot open resolver repository: {message}")


# --- the deprecated fallback resolvers (ocm.config) ------------------------------------------


def test_fallback_resolvers_try_repositories_by_priority_until_one_has_the_version(
    repos: dict[str, Path], caplog: pytest.LogCaptureFixture
) -> None:
    fallbacks = [
        LegacyResolver(_ctf(repos["b"])),  # default priority 10
        LegacyResolver(_ctf(repos["c"]), "", 20),
    ]
    with (
        caplog.at_level(logging.WARNING, "pyocm.repository"),
        resolver_chain(
            CTFSpec(str(repos["a"])), opener=open_repository, fallbacks=fallbacks
        ) as chain,
    ):
        assert chain.specs_for(LIB, "2.0.0") == [
            CTFSpec(str(repos["a"])),
            spec_from_mapping(_ctf(repos["c"])),
            spec_from_mapping(_ctf(repos["b"])),
        ]
        assert _holder(chain, APP, "1.0.0", repos) == "a"  # the base first
        assert _holder(chain, LIB, "2.0.0", repos) == "c"  # priority 20 before 10
        assert _holder(chain, LIB, "1.0.0", repos) == "b"  # c lacks it: the next one
        assert chain.list_component_versions(LIB) == ["1.0.0", "2.0.0"]
        assert chain.has_component_version(TOOL, "1.0.0")
        with pytest.raises(NotFound, match=re.escape(f"{LIB}:3.0.0 not found in any of")):
            chain.get_component_version(LIB, "3.0.0")
    assert [r.getMessage() for r in caplog.records] == [
        "using deprecated fallback resolvers, consider switching to path matcher resolvers. "
        "Follow our migration guide for more details: "
        "https://ocm.software/docs/how-to/migrate-from-fallback-to-deterministic-repository-"
        "resolvers/"
    ]


def test_fallback_resolvers_are_filtered_by_name_prefix(repos: dict[str, Path]) -> None:
    fallbacks = [
        LegacyResolver(_ctf(repos["c"]), "acme.org/tools", 30),
        LegacyResolver(_ctf(repos["b"]), "acme.org/tools/", 20),
        LegacyResolver(_ctf(repos["c"]), "acme.org/li", 10),
    ]
    with resolver_chain(None, opener=open_repository, fallbacks=fallbacks) as chain:
        assert chain.specs_for(TOOL, "1.0.0") == [
            spec_from_mapping(_ctf(repos["c"])),
            spec_from_mapping(_ctf(repos["b"])),
        ]
        assert _holder(chain, TOOL, "1.0.0", repos) == "b"
        # Go compares the prefix itself, or it with one trailing "/" as a path prefix
        assert chain.specs_for("acme.org/tools", "1.0.0") == [spec_from_mapping(_ctf(repos["c"]))]
        with pytest.raises(
            NotFound, match=re.escape("no resolver matches component acme.org/toolsx")
        ):
            chain.specs_for("acme.org/toolsx", "1.0.0")
        with pytest.raises(NotFound, match=re.escape(f"no resolver matches component {LIB}:1.0.0")):
            chain.get_component_version(LIB, "1.0.0")


def test_both_kinds_of_resolvers_at_once_are_an_error() -> None:
    with pytest.raises(OCMError) as caught:
        resolver_chain(
            None,
            opener=open_repository,
            configured=[Resolver({"type": "CTF", "filePath": "a"}, "*")],
            fallbacks=[LegacyResolver({"type": "CTF", "filePath": "b"})],
        )
    assert str(caught.value) == (
        "both path matcher and fallback resolvers are configured, only one type is allowed"
    )


def test_resolvers_come_from_the_configuration_types() -> None:
    document = {
        "type": "generic.config.ocm.software/v1",
        "configurations": [
            {
                "type": "resolvers.config.ocm.software/v1alpha1",
                "resolvers": [
                    {
                        "repository": {"type": "OCIRepository/v1", "baseUrl": "ghcr.io/acme"},
                        "componentNamePattern": "acme.org/*",
                        "versionConstraint": ">= 1.0.0",
                    }
                ],
            },
            {
                "type": "ocm.config.ocm.software",
                "resolvers": [{"repository": {"type": "CTF", "filePath": "x"}, "prefix": "a"}],
            },
        ],
    }
    config = Config(tuple(flatten_document(document, "cfg")))
    configured = resolvers_config(config)
    fallbacks = legacy_resolvers_config(config)
    assert configured is not None and fallbacks is not None
    chain = resolver_chain(None, opener=open_repository, configured=configured.resolvers)
    assert chain.specs_for("acme.org/x", "1.0.0") == [OCISpec("ghcr.io", "acme")]
    with pytest.raises(NotFound, match=re.escape("no resolver matches component acme.org/x:0.9.0")):
        chain.specs_for("acme.org/x", "0.9.0")
    fallback_chain = resolver_chain(None, opener=open_repository, fallbacks=fallbacks.resolvers)
    assert fallback_chain.specs_for("a/b", "") == [CTFSpec("x", "CTF")]
    with pytest.raises(OCMError, match="only one type is allowed"):
        resolver_chain(
            None,
            opener=open_repository,
            configured=configured.resolvers,
            fallbacks=fallbacks.resolvers,
        )


# --- opening and closing ---------------------------------------------------------------------


def test_repositories_are_opened_lazily_once_and_the_base_is_shared(
    repos: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    opener = CountingOpener()
    configured = [
        Resolver(_ctf(repos["b"]), "acme.org/tools/*"),
        Resolver({"type": "ctf", "filePath": "./b"}, "acme.org/lib"),  # b spelled another way
        Resolver(_ctf(repos["c"]), "never.org/*"),
        Resolver(_ctf(repos["a"]), "acme.org/app"),  # the base again
    ]
    with open_repository(str(repos["a"])) as base:
        chain = resolver_chain(
            CTFSpec(str(repos["a"])), opener=opener, base_repository=base, configured=configured
        )
        assert opener.opened == []
        for _ in range(2):
            chain.get_component_version(TOOL, "1.0.0")
            chain.get_component_version(LIB, "2.0.0")
            chain.get_component_version(APP, "1.0.0")
        assert opener.opened == [str(repos["b"])]
        owned = chain.open(spec_from_mapping(_ctf(repos["b"])))
        chain.close()
        assert base.list_component_versions(APP) == ["1.0.0"]  # the caller's, still open
        with pytest.raises(OCMError, match="is closed"):
            owned.list_components()


def test_a_missing_resolver_repository_is_an_error_not_a_miss(
    repos: dict[str, Path], tmp_path: Path
) -> None:
    fallbacks = [LegacyResolver(_ctf(tmp_path / "missing"), "", 20)]
    with resolver_chain(
        CTFSpec(str(repos["b"])), opener=open_repository, fallbacks=fallbacks
    ) as chain:
        assert _holder(chain, LIB, "1.0.0", repos) == "b"  # the base has it: never opened
        with pytest.raises(OCMError, match="cannot open resolver repository") as caught:
            chain.get_component_version(APP, "1.0.0")
        assert not isinstance(caught.value, NotFound)


# --- graph resolution through the chain ------------------------------------------------------


def test_references_resolve_across_repositories(tmp_path: Path) -> None:
    with open_repository(str(tmp_path / "libs"), mode="create") as libs:
        lib = add_version(libs, LIB, "1.0.0", files={"so": b"lib"})
    with open_repository(str(tmp_path / "apps"), mode="create") as apps:
        app = add_version(apps, APP, "1.0.0", refs=[(LIB, "1.0.0", lib)])
    configured = [Resolver(_ctf(tmp_path / "libs"), "acme.org/lib*")]
    with resolver_chain(
        CTFSpec(str(tmp_path / "apps")), opener=open_repository, configured=configured
    ) as chain:
        root = resolve_graph(chain, app)
    assert [child.descriptor.component.name for child in root.children] == [LIB]
    with open_repository(str(tmp_path / "apps")) as apps, pytest.raises(NotFound):
        resolve_graph(apps, app)


def test_writes_go_where_the_component_routes(tmp_path: Path) -> None:
    ctf_with(tmp_path / "libs")
    ctf_with(tmp_path / "apps")
    configured = [Resolver(_ctf(tmp_path / "libs"), "acme.org/lib")]

    def writable(spec: Any) -> Any:
        return open_repository(spec, mode="rw")

    with resolver_chain(
        CTFSpec(str(tmp_path / "apps")), opener=writable, configured=configured
    ) as chain:
        add_version(chain, LIB, "1.0.0", files={"so": b"lib"})
        add_version(chain, APP, "1.0.0", files={"bin": b"app"})
    with open_repository(str(tmp_path / "libs")) as libs:
        assert libs.list_components() == [LIB]
    with open_repository(str(tmp_path / "apps")) as apps:
        assert apps.list_components() == [APP]


def test_explicit_routes_come_before_the_configured_ones(repos: dict[str, Path]) -> None:
    with resolver_chain(
        CTFSpec(str(repos["a"])),
        opener=open_repository,
        routes=[Route(CTFSpec(str(repos["c"])), "acme.org/lib")],
        configured=[Resolver(_ctf(repos["b"]), "acme.org/lib")],
    ) as chain:
        assert _holder(chain, LIB, "2.0.0", repos) == "c"
