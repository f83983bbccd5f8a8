"""Registries that do not speak TLS: loopback ones are reached in plain HTTP, others are told.

A registry given without a scheme is tried with TLS.  On this machine's loopback (``localhost``,
``127.0.0.0/8``, ``::1``) a registry that answers the handshake in plain HTTP is then spoken to
in plain HTTP, as docker and go-containerregistry do; an explicit ``https://`` is never given
up, and a registry elsewhere is an error that says it does not speak TLS and suggests
``http://``.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import threading
import uuid
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from fixtures.oci import FAST_RETRIES
from fixtures.registry import RegistryServer
from pyocm.errors import RegistryError
from pyocm.oci.client import RegistryClient


def test_a_loopback_registry_without_scheme_and_without_tls_is_spoken_to_in_plain_http(
    registry: RegistryServer,
) -> None:
    with RegistryClient(f"127.0.0.1:{registry.port}", retry=FAST_RETRIES) as client:
        assert client.scheme == "https"
        client.ping()
        assert client.scheme == "http"
        assert client.base_url == f"http://127.0.0.1:{registry.port}"
        repo = client.repository("pyocm-test/loopback")
        data = os.urandom(3000)
        pushed = repo.push_bytes(data)
        assert repo.fetch_blob(pushed.digest, pushed.size) == data


def test_localhost_by_name_is_loopback_too(registry: RegistryServer) -> None:
    with RegistryClient(f"localhost:{registry.port}", retry=FAST_RETRIES) as client:
        client.ping()
        assert client.scheme == "http"


def test_an_explicit_https_is_never_given_up(registry: RegistryServer) -> None:
    address = f"127.0.0.1:{registry.port}"
    with (
        RegistryClient(f"https://{address}", retry=FAST_RETRIES) as client,
        pytest.raises(RegistryError) as raised,
    ):
        client.ping()
    message = str(raised.value)
    assert "WRONG_VERSION_NUMBER" in message
    assert f"the registry {address} does not speak TLS" in message
    assert f"give it as http://{address}" in message
    assert client.scheme == "https"


def _loopback_by_another_name() -> tuple[str, str] | None:
    """This machine's host name and the loopback address it resolves to (Debian maps it to
    127.0.1.1, this workplace to 127.0.0.1), or ``None``.  pyocm does not resolve names to
    decide what is loopback, so to it this is a registry elsewhere, while every packet stays
    on this machine's loopback."""
    name = socket.gethostname()
    try:
        address = socket.gethostbyname(name)
    except OSError:
        return None
    return (name, address) if ipaddress.ip_address(address).is_loopback else None


class _PlainRegistry(BaseHTTPRequestHandler):
    """Answers ``GET /v2/`` as a registry does, in plain HTTP; records what it understood."""

    seen: list[str]

    def log_message(self, format: str, *args: object) -> None:
        return

    def do_GET(self) -> None:
        self.seen.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")


@pytest.fixture
def plain_elsewhere() -> Iterator[tuple[str, list[str]]]:
    """A plain-HTTP registry that pyocm takes for one elsewhere (named by this machine's host
    name, listening on the loopback address that name resolves to): its address, its log."""
    found = _loopback_by_another_name()
    if found is None:
        message = f"the host name {socket.gethostname()} does not resolve to a loopback address"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(reason=message)
    name, address = found
    seen: list[str] = []

    class Handler(_PlainRegistry):
        pass

    Handler.seen = seen
    server = ThreadingHTTPServer((address, 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"{name}:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


def test_a_registry_elsewhere_without_tls_is_an_error_suggesting_http(
    plain_elsewhere: tuple[str, list[str]],
) -> None:
    address, seen = plain_elsewhere
    with RegistryClient(address, retry=FAST_RETRIES) as client:
        with pytest.raises(RegistryError) as raised:
            client.ping()
        assert client.scheme == "https"
    message = str(raised.value)
    assert message.startswith(f"GET https://{address}/v2/: ")
    assert f"the registry {address} does not speak TLS" in message
    assert f"give it as http://{address}" in message
    assert seen == []  # nothing was ever asked in plain HTTP
    with RegistryClient(f"http://{address}", retry=FAST_RETRIES) as client:
        client.ping()
    assert seen == ["/v2/"]


def test_ocm_names_a_registry_elsewhere_that_does_not_speak_tls(
    plain_elsewhere: tuple[str, list[str]], run_ocm: Callable[..., Any], tmp_path: Path
) -> None:
    address, _ = plain_elsewhere
    done = run_ocm("get", "cv", f"{address}/ocm//acme.org/app:1.0.0", env={"HOME": str(tmp_path)})
    assert done.returncode == 1
    [line] = [x for x in done.stderr.splitlines() if x.startswith("Error: ")]
    assert "WRONG_VERSION_NUMBER" in line
    assert f"the registry {address} does not speak TLS" in line
    assert f"give it as http://{address}" in line


def test_ocm_adds_to_and_reads_a_plain_loopback_registry_named_without_scheme(
    registry: RegistryServer, run_ocm: Callable[..., Any], tmp_path: Path
) -> None:
    (tmp_path / "c.yaml").write_text(
        "components:\n- name: acme.org/loopback\n  version: 1.0.0\n  provider: {name: acme.org}\n"
        "  resources:\n  - {name: notes, type: plainText, input: {type: utf8, text: hi}}\n"
    )
    repository = f"127.0.0.1:{registry.port}/loopback-{uuid.uuid4().hex[:8]}"
    env = {"HOME": str(tmp_path)}
    added = run_ocm("add", "cv", "-c", "c.yaml", "-r", repository, cwd=tmp_path, env=env)
    assert added.returncode == 0, added.stderr
    shown = run_ocm("get", "cv", f"{repository}//acme.org/loopback:1.0.0", cwd=tmp_path, env=env)
    assert shown.returncode == 0, shown.stderr
    assert "acme.org/loopback" in shown.stdout
