"""Charts fetched from elsewhere: the helm input's ``helmRepository`` (cli.md §7.5 item 25) and
charts in OCI registries (``oci://``), pushed there by real ``helm push``."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest
from helmtools import COMPONENT, VERSION, Chart, ChartRepository, helm_constructor

from fixtures.http_server import HTTPServer
from fixtures.registry import RegistryServer
from pyocm.access import open_blob
from pyocm.access.context import AccessContext
from pyocm.access.digests import content_digest
from pyocm.config.credentials.typed import Credentials as ConsumerCredentials
from pyocm.constructor import construct
from pyocm.descriptor import Descriptor
from pyocm.errors import OCMError
from pyocm.oci.auth import Credentials
from pyocm.repository import open_repository
from pyocm.transfer import TransferOptions, execute_plan, plan_transfer

CHART_TYPE = "application/vnd.cncf.helm.chart.content.v1.tar+gzip"
PROV_TYPE = "application/vnd.cncf.helm.chart.provenance.v1.prov"


def layers_of(repo_path: Path, descriptor: Descriptor) -> dict[str, bytes]:
    """The layers (by media type) of the chart artifact the resource of ``descriptor`` holds
    in the CTF at ``repo_path``."""
    access = descriptor.component.resources[0].access
    assert access is not None
    blobs = repo_path / "blobs"

    def blob(digest: str) -> bytes:
        return (blobs / digest.replace(":", ".")).read_bytes()

    manifest = json.loads(blob(str(access.properties["localReference"])))
    return {layer["mediaType"]: blob(layer["digest"]) for layer in manifest["layers"]}


def build(work: Path, body: str, context: AccessContext, **options: object) -> Descriptor:
    (work / "c.yaml").write_text(helm_constructor(body))
    with open_repository(str(work / "ctf"), mode="create") as repo:
        return construct(work / "c.yaml", repo, access_context=context, **options)[0]  # type: ignore[arg-type]


def test_input_downloads_a_chart_url_with_its_provenance(
    tmp_path: Path, chart_repository: ChartRepository, signed_chart: Chart
) -> None:
    body = f"input: {{type: helm/v1, helmRepository: '{chart_repository.url}/mychart-0.1.0.tgz'}}"
    descriptor = build(tmp_path, body, AccessContext())
    assert layers_of(tmp_path / "ctf", descriptor) == {
        CHART_TYPE: signed_chart.archive.read_bytes(),
        PROV_TYPE: signed_chart.provenance.read_bytes(),
    }
    access = descriptor.component.resources[0].access
    assert access is not None
    assert access.properties["mediaType"] == "application/vnd.oci.image.manifest.v1+json"


def test_input_looks_a_chart_up_in_the_index(
    tmp_path: Path, chart_repository: ChartRepository, signed_chart: Chart
) -> None:
    body = f"input: {{type: helm, helmRepository: '{chart_repository.url}/mychart:0.1.0'}}"
    descriptor = build(tmp_path, body, AccessContext())
    assert layers_of(tmp_path / "ctf", descriptor)[CHART_TYPE] == signed_chart.archive.read_bytes()
    paths = [r.path for r in chart_repository.server.requests]
    assert paths[0] == "/index.yaml"


def test_input_download_uses_the_repository_credentials(
    tmp_path: Path, chart_repository: ChartRepository
) -> None:
    chart_repository.server.require(username="u", password="p")

    def credentials(identity: object) -> ConsumerCredentials | None:
        return ConsumerCredentials("HelmHTTPCredentials/v1", {"username": "u", "password": "p"})

    body = f"input: {{type: helm, helmRepository: '{chart_repository.url}/mychart-0.1.0.tgz'}}"
    build(tmp_path, body, AccessContext(consumer_credentials=credentials))
    assert all(r.headers.get("Authorization") for r in chart_repository.server.requests)


def test_input_url_that_is_no_chart_is_one_clear_error(
    tmp_path: Path, http_server: HTTPServer
) -> None:
    (http_server.root / "notachart.tgz").write_bytes(b"plain text")
    body = f"input: {{type: helm, helmRepository: '{http_server.url}/notachart.tgz'}}"
    with pytest.raises(OCMError, match="is not a packaged Helm chart"):
        build(tmp_path, body, AccessContext())


@pytest.fixture(scope="module")
def oci_chart(
    secure_registry: RegistryServer, signed_chart: Chart, helm: Path, tmp_path_factory
) -> str:
    """The signed chart pushed by ``helm push`` to the TLS registry; its repository URL."""
    config = tmp_path_factory.mktemp("helm-registry") / "registry.json"
    assert secure_registry.ca_file is not None
    pushed = subprocess.run(
        [str(helm), "push", str(signed_chart.archive), f"oci://{secure_registry.address}/charts",
         "--ca-file", str(secure_registry.ca_file), "--username", str(secure_registry.username),
         "--password", str(secure_registry.password), "--registry-config", str(config)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert pushed.returncode == 0, pushed.stderr
    return f"oci://{secure_registry.address}/charts"


@pytest.fixture
def registry_context(secure_registry: RegistryServer) -> AccessContext:
    login = Credentials(username=secure_registry.username, password=secure_registry.password)
    return AccessContext(
        credentials=lambda scheme, path: lambda host: login, ca_file=secure_registry.ca_file
    )


def manifest_digest(secure_registry: RegistryServer, context: AccessContext) -> str:
    from pyocm.oci.reference import parse_image_reference

    image = parse_image_reference(f"oci://{secure_registry.address}/charts/mychart:0.1.0")
    return context.repository(image).resolve("0.1.0").digest


def test_input_pulls_an_oci_chart(
    tmp_path: Path, oci_chart: str, registry_context: AccessContext, signed_chart: Chart
) -> None:
    body = f"input: {{type: helm, helmRepository: '{oci_chart}/mychart:0.1.0'}}"
    descriptor = build(tmp_path, body, registry_context)
    layers = layers_of(tmp_path / "ctf", descriptor)
    assert layers[CHART_TYPE] == signed_chart.archive.read_bytes()
    assert layers[PROV_TYPE] == signed_chart.provenance.read_bytes()


def test_oci_access_records_the_manifest_digest_and_copies_the_chart_as_it_is(
    tmp_path: Path,
    oci_chart: str,
    registry_context: AccessContext,
    signed_chart: Chart,
    secure_registry: RegistryServer,
) -> None:
    body = f"access: {{type: Helm/v1, helmRepository: '{oci_chart}', helmChart: mychart:0.1.0}}"
    descriptor = build(tmp_path, body, registry_context)
    resource = descriptor.component.resources[0]
    pushed = manifest_digest(secure_registry, registry_context)
    assert resource.digest is not None
    assert f"sha256:{resource.digest.value}" == pushed
    with open_repository(str(tmp_path / "ctf")) as repo:
        opened = open_blob(repo, descriptor, resource, registry_context)
        with opened.open() as stream, (tmp_path / "chart.tar").open("wb") as out:
            shutil.copyfileobj(stream, out)
        assert content_digest(repo, descriptor, resource, registry_context) == resource.digest
        with open_repository(str(tmp_path / "target"), mode="create") as target:
            options = TransferOptions(copy_resources=True)
            roots = [(COMPONENT, VERSION)]
            plan = plan_transfer(repo, target, roots, options, context=registry_context)
            execute_plan(plan, repo, target, context=registry_context)
            copied = target.get_component_version(COMPONENT, VERSION)
    # helm push uploads the provenance file beside the chart; the download gives both
    with tarfile.open(tmp_path / "chart.tar") as tar:
        assert tar.getnames() == ["mychart-0.1.0.tgz", "mychart-0.1.0.tgz.prov"]
        chart = tar.extractfile("mychart-0.1.0.tgz")
        assert chart is not None
        assert chart.read() == signed_chart.archive.read_bytes()
    copy = copied.component.resources[0]
    assert copy.access is not None
    # helm push made the manifest; the copy is that manifest, so the digest stays true
    assert copy.access.properties["localReference"] == pushed
    assert copy.access.properties["referenceName"] == "charts/mychart:0.1.0"
    assert copy.digest == resource.digest


def test_oci_access_with_a_wrong_digest_is_refused(
    tmp_path: Path, oci_chart: str, registry_context: AccessContext
) -> None:
    wrong = hashlib.sha256(b"other").hexdigest()
    digest = (
        "  digest: {hashAlgorithm: SHA-256, normalisationAlgorithm: genericBlobDigest/v1, "
        f"value: {wrong}}}\n"
    )
    (tmp_path / "c.yaml").write_text(
        helm_constructor(
            f"access: {{type: helm, helmRepository: '{oci_chart}', helmChart: mychart:0.1.0}}",
            extra=digest,
        )
    )
    with (
        open_repository(str(tmp_path / "ctf"), mode="create") as repo,
        pytest.raises(OCMError, match=f"digest mismatch .*expected {wrong}"),
    ):
        construct(tmp_path / "c.yaml", repo, access_context=registry_context)
