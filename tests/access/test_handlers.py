"""The access registry: the types served on demand reach their own module's handler, and
asking where a type's content lives does not import it."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

from pyocm.access.handlers import DIGEST_PROCESSORS, HANDLERS, content_of


@pytest.mark.parametrize("module_name", ["wget", "helm", "github"])
def test_every_spelling_of_a_type_served_on_demand_reaches_its_module(module_name: str) -> None:
    module = importlib.import_module(f"pyocm.access.{module_name}")
    for name in module.TYPES:
        assert name in HANDLERS and name in DIGEST_PROCESSORS
        assert HANDLERS[name] is module.HANDLER
        assert DIGEST_PROCESSORS[name] is module.DIGESTS


def test_an_unknown_type_is_not_registered() -> None:
    assert "noSuchAccess/v1" not in HANDLERS
    assert HANDLERS.get("noSuchAccess/v1") is None
    assert DIGEST_PROCESSORS.get("localBlob") is None


@pytest.mark.parametrize("module_name", ["wget", "helm", "github"])
def test_a_type_served_on_demand_names_remote_content_as_its_handler_does(
    module_name: str,
) -> None:
    module = importlib.import_module(f"pyocm.access.{module_name}")
    for name in module.TYPES:
        assert module.HANDLER.content == "remote" == content_of(name)


def test_asking_where_content_lives_imports_no_type_served_on_demand() -> None:
    code = (
        "import sys\n"
        "from pyocm.access.handlers import content_of\n"
        "found = [content_of(t) for t in ('helm', 'wget/v1', 'GitHub', 'localBlob', 'none',"
        " 'ociArtifact', 'ociBlob', 'nope')]\n"
        "assert found == ['remote', 'remote', 'remote', 'local', 'none', 'image', 'remote', None],"
        " found\n"
        "loaded = [m for m in ('pyocm.access.helm', 'pyocm.access.wget', 'pyocm.access.github')"
        " if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
