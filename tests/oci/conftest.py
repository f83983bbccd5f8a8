"""Clients of the session's two real registries, and fresh repository names."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import pytest

from fixtures.oci import FAST_RETRIES, make_client
from fixtures.proxy import FaultProxy, fault_proxy
from fixtures.registry import RegistryServer
from pyocm.oci.client import RegistryClient


@pytest.fixture(params=["plain", "secure"])
def server(request: pytest.FixtureRequest) -> RegistryServer:
    """Each of the two real registries in turn: plain HTTP, and TLS with basic auth."""
    name = "registry" if request.param == "plain" else "secure_registry"
    found: RegistryServer = request.getfixturevalue(name)
    return found


@pytest.fixture
def client(server: RegistryServer) -> Iterator[RegistryClient]:
    """A client of ``server`` with the right credentials."""
    with make_client(server) as c:
        yield c


@pytest.fixture
def new_repo() -> Callable[[], str]:
    """Fresh repository names, one per call."""
    return lambda: f"pyocm-test/{uuid.uuid4().hex[:12]}"


@pytest.fixture
def proxy(registry: RegistryServer) -> Iterator[FaultProxy]:
    """A fault-injecting proxy in front of the plain registry (it logs every request)."""
    with fault_proxy(registry.port) as p:
        yield p


@pytest.fixture
def proxied(proxy: FaultProxy) -> Iterator[RegistryClient]:
    """A client talking to the plain registry through :func:`proxy`."""
    with RegistryClient(proxy.url, retry=FAST_RETRIES) as c:
        yield c
