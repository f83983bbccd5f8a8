"""Pushes that go wrong: a registry answering 429/503, connections dropped from some request
on, a registry killed midway.  No tag may ever point at something missing."""

from __future__ import annotations

import os
import signal
import threading
import time
import uuid
from pathlib import Path

import pytest

from fixtures.ocm_registry import LAYOUT_TAR, broken_tags, image, layout_tar
from fixtures.proxy import Fault, FaultProxy, fault_proxy
from fixtures.registry import RegistryServer, free_port, registry_config, start_registry, stop
from pyocm.blob import BytesBlob
from pyocm.descriptor import Component, Descriptor, Provider, Resource
from pyocm.errors import OCMError
from pyocm.oci.client import RegistryClient
from pyocm.oci.retry import RetryPolicy
from pyocm.repository import OCISpec, parse_repository
from pyocm.repository.oci import open_registry
from pyocm.repository.ocm import OCMRepository

FAST = RetryPolicy(attempts=3, initial_delay=0.01, max_delay=0.05, total=10.0)
PATIENT = RetryPolicy(attempts=6, initial_delay=0.05, max_delay=1.0, total=30.0)


def _open(url: str, retry: RetryPolicy = FAST) -> OCMRepository:
    spec = parse_repository(url)
    assert isinstance(spec, OCISpec)
    return open_registry(spec, mode="create", retry=retry)


def _push(repo: OCMRepository, component: str, payload: bytes, layout: bytes) -> Descriptor:
    """A version with a plain local blob and an image (index form): many requests."""
    resources = [
        repo.add_local_resource(
            component,
            "1.0.0",
            Resource(name="data", version="1.0.0", type="blob"),
            BytesBlob(payload, "application/octet-stream"),
        ),
        repo.add_local_resource(
            component,
            "1.0.0",
            Resource(name="image", version="1.0.0", type="ociImage"),
            BytesBlob(layout, LAYOUT_TAR),
        ),
    ]
    cd = Descriptor(Component(component, "1.0.0", Provider("acme"), resources=resources))
    repo.add_component_version(cd)
    return cd


def _component() -> str:
    return f"acme.org/fault-{uuid.uuid4().hex[:10]}"


def _check_complete(repo: OCMRepository, component: str, payload: bytes) -> None:
    cd = repo.get_component_version(component, "1.0.0")
    data = cd.component.resources[0].access
    assert data is not None
    with repo.get_local_blob(component, "1.0.0", data).open() as f:
        assert f.read() == payload


def test_a_registry_answering_429_and_503_still_gets_the_push_done(
    registry: RegistryServer,
) -> None:
    component = _component()
    payload = os.urandom(10_000)
    config, layer, manifest = image()
    with fault_proxy(registry.port) as proxy:
        proxy.add(Fault("POST", "/blobs/uploads/", "status", 429, {"Retry-After": "0"}, times=2))
        proxy.add(Fault("PUT", "/blobs/uploads/", "status", 503))
        proxy.add(Fault("PUT", "/manifests/", "status", 503, times=2))
        proxy.add(Fault("HEAD", "/blobs/", "reset"))
        with _open(proxy.url, PATIENT) as repo:
            _push(repo, component, payload, layout_tar([config, layer], manifest))
        answered = [status for _, _, status in proxy.log]
    assert answered.count(429) == 2 and answered.count(503) == 3 and 0 in answered
    with _open(registry.url) as repo:
        _check_complete(repo, component, payload)


def test_a_push_cut_off_at_any_request_leaves_no_tag_pointing_at_missing_content(
    registry: RegistryServer,
) -> None:
    payload = os.urandom(50_000)
    config, layer, manifest = image(20_000)
    layout = layout_tar([config, layer], manifest)
    with fault_proxy(registry.port) as proxy:
        with _open(proxy.url) as repo:
            _push(repo, _component(), payload, layout)
        total = len(proxy.log)
        assert total > 15
        for cut in range(total):
            component = _component()
            proxy.faults.clear()
            proxy.add(Fault("*", "", "reset", times=10**6, skip=cut))
            with _open(proxy.url) as repo, pytest.raises(OCMError):
                _push(repo, component, payload, layout)
            with RegistryClient(registry.url) as client:
                repository = f"component-descriptors/{component}"
                assert broken_tags(client, repository) == {}, f"cut after {cut} requests"
            with _open(registry.url) as repo:
                assert repo.list_component_versions(component) == []
                _push(repo, component, payload, layout)  # and the push can simply be redone
                _check_complete(repo, component, payload)


def test_a_registry_killed_mid_push_leaves_no_tag_and_the_push_can_be_redone(
    tmp_path: Path,
) -> None:
    directory = tmp_path / "registry"
    directory.mkdir()
    port = free_port()
    config = registry_config(directory, port)
    process = start_registry(directory, port, config, "http", None)
    component = _component()
    payload = os.urandom(48 << 20)  # chunked: several PATCH requests
    config_blob, layer, manifest = image()
    layout = layout_tar([config_blob, layer], manifest)
    failure: list[BaseException] = []
    try:
        with fault_proxy(port) as proxy:

            def push() -> None:
                try:
                    with _open(proxy.url) as repo:
                        _push(repo, component, payload, layout)
                except BaseException as e:
                    failure.append(e)

            pusher = threading.Thread(target=push)
            pusher.start()
            deadline = time.monotonic() + 60
            while not _patched(proxy) and time.monotonic() < deadline:
                time.sleep(0.005)
            assert _patched(proxy), "the push never reached its first PATCH"
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
            pusher.join(60)
            assert not pusher.is_alive()
        assert failure and isinstance(failure[0], OCMError)

        process = start_registry(directory, port, config, "http", None)
        url = f"http://127.0.0.1:{port}"
        with RegistryClient(url) as client:
            assert broken_tags(client, f"component-descriptors/{component}") == {}
        with _open(url) as repo:
            assert repo.list_component_versions(component) == []
            _push(repo, component, payload, layout)
        with _open(url) as repo:
            _check_complete(repo, component, payload)
    finally:
        stop(process)


def _patched(proxy: FaultProxy) -> bool:
    return any(method == "PATCH" for method, _, _ in list(proxy.log))
