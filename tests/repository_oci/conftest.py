"""Component versions in the session's real registries: each test gets its own sub path."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from fixtures.ocm_registry import new_sub_path, open_on
from fixtures.registry import RegistryServer
from pyocm.repository.ocm import OCMRepository


@pytest.fixture(params=["plain", "secure"])
def server(request: pytest.FixtureRequest) -> RegistryServer:
    """Each of the two real registries in turn: plain HTTP, and TLS with basic auth."""
    name = "registry" if request.param == "plain" else "secure_registry"
    found: RegistryServer = request.getfixturevalue(name)
    return found


@pytest.fixture
def sub_path() -> str:
    """A sub path no other test uses."""
    return new_sub_path()


@pytest.fixture
def repo(server: RegistryServer, sub_path: str) -> Iterator[OCMRepository]:
    """A writable component-version repository on ``server`` below ``sub_path``."""
    with open_on(server, sub_path) as opened:
        yield opened


@pytest.fixture
def reopen(server: RegistryServer, sub_path: str) -> Callable[..., OCMRepository]:
    """Open the same registry location again (read-only unless a mode is given)."""
    return lambda mode="r", **options: open_on(server, sub_path, mode, **options)
