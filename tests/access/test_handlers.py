"""The access registry: the types served on demand reach their own module's handler."""

from __future__ import annotations

import importlib

import pytest

from pyocm.access.handlers import DIGEST_PROCESSORS, HANDLERS


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
