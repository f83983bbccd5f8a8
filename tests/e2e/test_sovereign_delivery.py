"""The sovereign delivery scenario of issue 5 end to end with the ``ocm`` command: Pack → Sign →
Transport → Verify, then the content taken out of the registry by independent clients.

Three components are built from constructor files into a CTF, as the conformance scenario does
(``conformance/scenarios/sovereign`` in the Go v2 repository, reference/controllers.md §3 and
cli.md §7.10): an app (``notes`` there) with an OCI image layout, a Helm chart, an OpenAPI file
and a JSON document; a database (``postgres``) with its own chart; and a product that references
both and carries a deployment manifest.  Only the product is signed: its signature covers the
digests of its references, which cover the children's normalised descriptors and with them
their resource digests, so verifying the product checks the whole tree (and pyocm's ``verify``
also fetches every resource and referenced version again to compare the digests with the
content).  The Go scenario signs only the product too.

The signed CTF is transferred ``--recursive --copy-resources`` into a second CTF, packed as a
tgz (by ``ocm transfer`` into a ``.tgz`` target, and by ``tar czf``), carried to a working
directory whose ``.ocmconfig`` holds the registry login and only the public key, imported into
a registry with TLS and basic auth, and verified there.  Then ``skopeo`` copies the image out,
``helm pull`` gets the charts and ``ocm download resource`` the files, each compared with the
inputs.  Tampering in the registry makes ``ocm verify`` fail naming what changed.

Also here, the scenarios of cli.md §7.3 and §7.7 that the other suites do not cover: the
signing tutorial word for word (openssl keys, the page's digest), and an image in a registry,
referenced by an ``ociArtifact`` access, copied by value (§7.7 items 37 and 41), with a
tag-only reference pinned when added (as the scenario's database image needs).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import shutil
import subprocess
import tarfile
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed

from fixtures.ocm_registry import go_tool_env, run_tool
from fixtures.registry import RegistryServer

RunOcm = Callable[..., subprocess.CompletedProcess[str]]

APP = "acme.org/sovereign/app"
DATABASE = "acme.org/sovereign/database"
PRODUCT = "acme.org/sovereign/product"
VERSION = "1.0.0"
LAYOUT_TGZ = "application/vnd.ocm.software.oci.layout.v1+tar+gzip"
MANIFEST = "application/vnd.oci.image.manifest.v1+json"

# The constructor files follow the scenario's (components/{notes,postgres,product}), with the
# name, version and image layout substituted from the environment as its Taskfile does.
APP_CONSTRUCTOR = f"""\
components:
  - name: "${{NAME}}"
    version: "${{VERSION}}"
    provider:
      name: ocm.software/sovereign
    resources:
      - name: image
        type: ociImage
        relation: local
        version: "${{VERSION}}"
        input:
          type: file
          mediaType: {LAYOUT_TGZ}
          path: "${{OCI_LAYOUT}}"
      - name: helm-chart
        type: helmChart
        relation: local
        input:
          type: helm
          path: ./deploy/chart/mychart-0.1.0.tgz
      - name: openapi-spec
        type: blob
        relation: local
        input:
          type: file
          path: ./deploy/openapi/spec.yaml
          mediaType: application/vnd.oai.openapi+yaml
      - name: ord-document
        type: blob
        relation: local
        input:
          type: utf8
          json: {{ORD_DOCUMENT}}
"""
DATABASE_CONSTRUCTOR = f"""\
components:
  - name: {DATABASE}
    version: {VERSION}
    provider:
      name: ocm.software/sovereign
    resources:
      - name: helm-chart
        type: helmChart
        relation: local
        input:
          type: helm
          path: ./deploy/chart
"""
PRODUCT_CONSTRUCTOR = f"""\
components:
  - name: {PRODUCT}
    version: {VERSION}
    provider:
      name: ocm.software/sovereign
    componentReferences:
      - name: app
        componentName: {APP}
        version: {VERSION}
      - name: database
        componentName: {DATABASE}
        version: {VERSION}
    resources:
      - name: product-rgd
        type: blob
        relation: local
        input:
          type: file
          path: ./deploy/rgd.yaml
          mediaType: application/vnd.cncf.kro.resourcegraphdefinition.v1+yaml
"""
DATABASE_CHART = {
    "Chart.yaml": "apiVersion: v2\nname: postgres\nversion: 0.1.0\nappVersion: '18'\n",
    "values.yaml": "image:\n  repository: postgres\n  tag: '18'\n",
    "templates/statefulset.yaml": (
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: {{ .Release.Name }}\n"
    ),
}
RGD = """\
apiVersion: kro.run/v1alpha1
kind: ResourceGraphDefinition
metadata:
  name: sovereign-product
spec:
  schema:
    apiVersion: v1alpha1
    kind: SovereignProduct
"""
CONSUMER = """\
      - identity:
          type: RSA/v1alpha1
          algorithm: RSASSA-PSS
          signature: default
        credentials:
          - type: RSACredentials/v1
            {keys}
"""


def _ok(done: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert done.returncode == 0, f"ocm failed:\n{done.stderr}"
    return done


def _failed(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 1, f"ocm should have failed:\n{done.stdout}\n{done.stderr}"
    return done.stderr


def _sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _tar(files: Mapping[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


@dataclass(frozen=True)
class Image:
    """The bytes of the image the test builds: its manifest, config and gzipped layers."""

    manifest: bytes
    config: bytes
    layers: tuple[bytes, ...]


def image_layout(marker: str) -> tuple[Image, dict[str, bytes]]:
    """A small real image (two gzipped tar layers, a config with their diff ids) and the files
    of an OCI image layout holding it, tagged ``1.0.0``; ``marker`` goes into the layers so
    that every test has its own blobs."""
    plain = [
        _tar({"app/notes": f"sovereign notes {marker}\n".encode()}),
        _tar({"app/config.json": json.dumps({"listen": ":8080", "marker": marker}).encode()}),
    ]
    layers = tuple(gzip.compress(layer, mtime=0) for layer in plain)
    config = json.dumps(
        {
            "architecture": "amd64",
            "os": "linux",
            "config": {"Entrypoint": ["/app/notes"]},
            "rootfs": {"type": "layers", "diff_ids": [_sha256(layer) for layer in plain]},
        }
    ).encode()
    manifest = json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": MANIFEST,
            "config": {
                "mediaType": "application/vnd.oci.image.config.v1+json",
                "digest": _sha256(config),
                "size": len(config),
            },
            "layers": [
                {
                    "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                    "digest": _sha256(layer),
                    "size": len(layer),
                }
                for layer in layers
            ],
        }
    ).encode()
    index = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [
            {
                "mediaType": MANIFEST,
                "digest": _sha256(manifest),
                "size": len(manifest),
                "annotations": {"org.opencontainers.image.ref.name": VERSION},
            }
        ],
    }
    files = {
        "oci-layout": b'{"imageLayoutVersion":"1.0.0"}',
        "index.json": json.dumps(index).encode(),
        **{f"blobs/sha256/{_sha256(b)[7:]}": b for b in (config, *layers, manifest)},
    }
    return Image(manifest, config, layers), files


def write_image_layout(path: Path, marker: str) -> Image:
    """The image of :func:`image_layout` as an OCI image layout ``.tar.gz`` at ``path``, as
    ``docker buildx --output type=oci`` makes one."""
    image, files = image_layout(marker)
    path.write_bytes(gzip.compress(_tar(files), mtime=0))
    return image


@dataclass(frozen=True)
class Outside:
    """The producer's working directory with the signed CTF, and what went into it."""

    work: Path
    env: dict[str, str]
    image: Image
    ord_document: bytes
    key: rsa.RSAPrivateKey


def _isolated_env(work: Path) -> dict[str, str]:
    """A HOME of its own, so no configuration but the test's is found."""
    home = work / "home"
    home.mkdir(parents=True, exist_ok=True)
    return {"HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config")}


def build_and_sign(run_ocm: RunOcm, work: Path, vectors: Path) -> Outside:
    """Write the three constructors and their inputs below ``work``, add them to
    ``work/transport-archive`` and sign the product with the key from ``work/.ocmconfig``."""
    marker = uuid.uuid4().hex
    env = _isolated_env(work)
    archive = str(work / "transport-archive")

    app = work / "app"
    (app / "deploy" / "chart").mkdir(parents=True)
    (app / "deploy" / "openapi").mkdir()
    for name in ("mychart-0.1.0.tgz", "mychart-0.1.0.tgz.prov"):
        shutil.copy(vectors / "helm" / name, app / "deploy" / "chart" / name)
    (app / "deploy" / "openapi" / "spec.yaml").write_text(
        f"openapi: 3.1.0\ninfo:\n  title: sovereign notes\n  version: '{marker}'\npaths: {{}}\n"
    )
    image = write_image_layout(app / "notes.tar.gz", marker)
    # Written compact with sorted keys, as Go's JSON writer gives it back.
    ord_document = json.dumps(
        {"description": f"notes {marker}", "openResourceDiscovery": "1.9", "packages": []},
        sort_keys=True,
        separators=(",", ":"),
    ).encode()
    (app / "component-constructor.yaml").write_text(
        APP_CONSTRUCTOR.replace("{ORD_DOCUMENT}", ord_document.decode())
    )
    layout_env = {**env, "NAME": APP, "VERSION": VERSION, "OCI_LAYOUT": "notes.tar.gz"}

    database = work / "database"
    for name, text in DATABASE_CHART.items():
        (database / "deploy" / "chart" / name).parent.mkdir(parents=True, exist_ok=True)
        (database / "deploy" / "chart" / name).write_text(text)
    (database / "component-constructor.yaml").write_text(DATABASE_CONSTRUCTOR)

    product = work / "product"
    (product / "deploy").mkdir(parents=True)
    (product / "deploy" / "rgd.yaml").write_text(RGD)
    (product / "component-constructor.yaml").write_text(PRODUCT_CONSTRUCTOR)

    add = ("add", "cv", "--repository", archive, "--constructor", "component-constructor.yaml")
    policy = ("--component-version-conflict-policy=replace",)
    added = _ok(run_ocm(*add, *policy, cwd=app, env=layout_env))
    assert APP in added.stdout
    _ok(run_ocm(*add, *policy, cwd=database, env=env))
    # The references are resolved from the CTF the children were added to.
    _ok(run_ocm(*add, *policy, cwd=product, env=env))

    key = rsa.generate_private_key(public_exponent=65537, key_size=4096)
    keys = work / "keys"
    keys.mkdir()
    (keys / "acme-private.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    (keys / "acme-public.pem").write_bytes(_public_pem(key))
    (work / ".ocmconfig").write_text(
        "type: generic.config.ocm.software/v1\nconfigurations:\n"
        "  - type: credentials.config.ocm.software\n    consumers:\n"
        + CONSUMER.format(
            keys="privateKeyPEMFile: keys/acme-private.pem\n"
            "            publicKeyPEMFile: keys/acme-public.pem"
        )
    )
    signed = _ok(
        run_ocm("sign", "cv", f"./transport-archive//{PRODUCT}:{VERSION}", cwd=work, env=env)
    )
    entry = yaml.safe_load(signed.stdout)
    assert entry["name"] == "default"
    assert entry["signature"]["algorithm"] == "RSASSA-PSS"
    assert entry["digest"]["normalisationAlgorithm"] == "jsonNormalisation/v4alpha1"
    # RSASSA-PSS over the descriptor digest, checked without pyocm.
    key.public_key().verify(
        bytes.fromhex(entry["signature"]["value"]),
        bytes.fromhex(entry["digest"]["value"]),
        padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=padding.PSS.AUTO),
        Prehashed(hashes.SHA256()),
    )
    return Outside(work, env, image, ord_document, key)


def _public_pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def inside_config(work: Path, server: RegistryServer, key: rsa.RSAPrivateKey) -> None:
    """``work/.ocmconfig`` on the far side of the air gap: the registry login and only the
    public key."""
    (work / "acme-public.pem").write_bytes(_public_pem(key))
    (work / ".ocmconfig").write_text(
        "type: generic.config.ocm.software/v1\nconfigurations:\n"
        "  - type: credentials.config.ocm.software\n    consumers:\n"
        "      - identity:\n          type: OCIRegistry\n"
        f"          hostname: {server.host}\n          port: '{server.port}'\n"
        "        credentials:\n          - type: Credentials/v1\n            properties:\n"
        f"              username: {server.username}\n              password: {server.password}\n"
        + CONSUMER.format(keys="publicKeyPEMFile: acme-public.pem")
    )


def _descriptor(run_ocm: RunOcm, ref: str, cwd: Path, env: Mapping[str, str]) -> dict[str, Any]:
    listed = json.loads(_ok(run_ocm("get", "cv", ref, "-o", "json", cwd=cwd, env=env)).stdout)
    assert len(listed) == 1
    return dict(listed[0])


def _without_accesses(descriptor: dict[str, Any]) -> dict[str, Any]:
    """The descriptor without the resource accesses (which a transfer may rewrite and which
    signatures do not cover)."""
    copy = json.loads(json.dumps(descriptor))
    for resource in copy["component"]["resources"]:
        resource.pop("access", None)
    return dict(copy)


def _resources(descriptor: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["name"]: r for r in descriptor["component"]["resources"]}


def _download(
    run_ocm: RunOcm, ref: str, name: str, cwd: Path, env: Mapping[str, str], *flags: str
) -> Path:
    out = cwd / "downloads" / name
    _ok(
        run_ocm(
            "download",
            "resource",
            ref,
            "--identity",
            f"name={name}",
            "--output",
            str(out),
            *flags,
            cwd=cwd,
            env=env,
        )
    )
    return out


def _skopeo_copy(
    skopeo: Path, server: RegistryServer, reference: str, out: Path, work: Path
) -> None:
    """``skopeo copy docker://<reference> oci:<out>`` with the registry's CA and login."""
    assert server.ca_file is not None
    certs = work / "skopeo-certs"
    certs.mkdir(exist_ok=True)
    (certs / "ca.crt").write_bytes(server.ca_file.read_bytes())
    run_tool(
        [
            skopeo,
            "copy",
            "--preserve-digests",
            "--src-cert-dir",
            certs,
            "--src-creds",
            f"{server.username}:{server.password}",
            f"docker://{reference}",
            f"oci:{out}",
        ]
    )


def _helm_pull(
    helm: Path, server: RegistryServer, reference: str, out: Path, work: Path, *flags: str
) -> list[Path]:
    """``helm pull oci://<reference>`` into the new directory ``out``; the files it wrote."""
    assert server.ca_file is not None
    env = {
        "HELM_CONFIG_HOME": str(work / "helm"),
        "HELM_CACHE_HOME": str(work / "helm-cache"),
        "HELM_DATA_HOME": str(work / "helm-data"),
        **go_tool_env(server, work),
    }
    out.mkdir(parents=True)
    run_tool(
        [
            helm,
            "pull",
            f"oci://{reference}",
            "--ca-file",
            server.ca_file,
            "--username",
            server.username or "",
            "--password",
            server.password or "",
            *flags,
            "-d",
            out,
        ],
        env,
    )
    return sorted(out.iterdir())


def _chart_files(chart: bytes) -> dict[str, str]:
    with tarfile.open(fileobj=io.BytesIO(chart), mode="r:gz") as tar:
        return {
            m.name: tar.extractfile(m).read().decode()  # type: ignore[union-attr]
            for m in tar.getmembers()
            if m.isfile()
        }


def test_pack_sign_transport_verify_and_take_out(
    run_ocm: RunOcm,
    secure_registry: RegistryServer,
    skopeo: Path,
    helm: Path,
    vectors: Path,
    tmp_path: Path,
) -> None:
    # Pack and sign, on the producer's side.
    outside = build_and_sign(run_ocm, tmp_path / "outside", vectors)
    work, env = outside.work, outside.env
    source = f"./transport-archive//{PRODUCT}:{VERSION}"
    verified = _ok(run_ocm("verify", "cv", source, cwd=work, env=env))
    assert "SIGNATURE VERIFICATION SUCCESSFUL" in verified.stderr
    originals = {
        name: _descriptor(run_ocm, f"./transport-archive//{name}:{VERSION}", work, env)
        for name in (PRODUCT, APP, DATABASE)
    }
    assert [s["name"] for s in originals[PRODUCT]["signatures"]] == ["default"]
    assert not originals[APP].get("signatures")
    assert [r["name"] for r in originals[PRODUCT]["component"]["componentReferences"]] == [
        "app",
        "database",
    ]
    assert all(r.get("digest") for r in originals[PRODUCT]["component"]["componentReferences"])

    # Transport: by value into a second CTF, then packed for the air gap, twice.
    moved = _ok(
        run_ocm(
            "transfer",
            "cv",
            "--copy-resources",
            "--recursive",
            source,
            "./second-archive",
            cwd=work,
            env=env,
        )
    )
    assert moved.stdout == ""
    for name, original in originals.items():
        assert _descriptor(run_ocm, f"./second-archive//{name}:{VERSION}", work, env) == original
    _ok(
        run_ocm(
            "transfer",
            "cv",
            "--copy-resources",
            "--recursive",
            f"./second-archive//{PRODUCT}:{VERSION}",
            "./airgap.tgz",
            cwd=work,
            env=env,
        )
    )
    assert (work / "airgap.tgz").read_bytes()[:2] == b"\x1f\x8b"
    subprocess.run(
        ["tar", "czf", str(work / "airgap-tar.tgz"), "-C", str(work / "second-archive"), "."],
        check=True,
    )

    # Import, on the consumer's side: registry login and public key only.
    inside = tmp_path / "inside"
    inside.mkdir()
    for archive in ("airgap.tgz", "airgap-tar.tgz"):
        shutil.copy(work / archive, inside / archive)
    inside_env = {**_isolated_env(inside), "SSL_CERT_FILE": str(secure_registry.ca_file)}
    inside_config(inside, secure_registry, outside.key)
    sub = f"sovereign-{uuid.uuid4().hex[:8]}"
    target = f"{secure_registry.url}/{sub}"
    for archive in ("airgap.tgz", "airgap-tar.tgz"):
        ref = f"./{archive}//{PRODUCT}:{VERSION}"
        assert _descriptor(run_ocm, ref, inside, inside_env) == originals[PRODUCT]
        checked = _ok(run_ocm("verify", "cv", ref, cwd=inside, env=inside_env))
        assert "SIGNATURE VERIFICATION SUCCESSFUL" in checked.stderr
    imported = _ok(
        run_ocm(
            "transfer",
            "cv",
            "--copy-resources",
            "--recursive",
            f"./airgap.tgz//{PRODUCT}:{VERSION}",
            target,
            cwd=inside,
            env=inside_env,
        )
    )
    assert imported.stdout == ""
    # The archive packed by tar holds the same versions: importing it again changes nothing.
    again = _ok(
        run_ocm(
            "transfer",
            "cv",
            "--copy-resources",
            "--recursive",
            f"./airgap-tar.tgz//{PRODUCT}:{VERSION}",
            target,
            cwd=inside,
            env=inside_env,
        )
    )
    assert again.stderr.count('msg="component version skipped"') == 3

    # Verify in the registry with only the public key: signature, references and content.
    in_registry = f"{target}//{PRODUCT}:{VERSION}"
    checked = _ok(run_ocm("verify", "cv", in_registry, cwd=inside, env=inside_env))
    assert "SIGNATURE VERIFICATION SUCCESSFUL" in checked.stderr
    assert "not checked" not in checked.stderr
    no_private_key = _failed(
        run_ocm("sign", "cv", "--force", in_registry, cwd=inside, env=inside_env)
    )
    assert "no private key for signature 'default'" in no_private_key
    stored = {
        name: _descriptor(run_ocm, f"{target}//{name}:{VERSION}", inside, inside_env)
        for name in (PRODUCT, APP, DATABASE)
    }
    for name, original in originals.items():
        assert _without_accesses(stored[name]) == _without_accesses(original)
    assert stored[PRODUCT]["signatures"] == originals[PRODUCT]["signatures"]

    # skopeo copies the image out by its digest, in the app's repository.
    app = _resources(stored[APP])
    image_digest = "sha256:" + app["image"]["digest"]["value"]
    assert image_digest == _sha256(outside.image.manifest)
    repository = f"{secure_registry.address}/{sub}/component-descriptors/{APP}"
    copied = tmp_path / "skopeo-out"
    _skopeo_copy(skopeo, secure_registry, f"{repository}@{image_digest}", copied, tmp_path)
    [entry] = json.loads((copied / "index.json").read_text())["manifests"]
    assert entry["digest"] == image_digest
    blobs = copied / "blobs" / "sha256"
    assert (blobs / image_digest[7:]).read_bytes() == outside.image.manifest
    assert (blobs / _sha256(outside.image.config)[7:]).read_bytes() == outside.image.config
    for layer in outside.image.layers:
        assert (blobs / _sha256(layer)[7:]).read_bytes() == layer

    # helm pulls the charts by digest: the packaged one byte for byte (with its provenance),
    # the one packed from a directory with the directory's files.
    chart_digest = app["helm-chart"]["access"]["localReference"]
    pulled = _helm_pull(
        helm,
        secure_registry,
        f"{repository}@{chart_digest}",
        tmp_path / "chart",
        tmp_path,
        "--prov",
    )
    charts = work / "app" / "deploy" / "chart"
    # helm names what it pulls by digest after the repository and the digest.
    assert [p.name for p in pulled] == [
        f"app@sha256-{chart_digest[7:]}.tgz{s}" for s in ("", ".prov")
    ]
    assert pulled[0].read_bytes() == (charts / "mychart-0.1.0.tgz").read_bytes()
    assert pulled[1].read_bytes() == (charts / "mychart-0.1.0.tgz.prov").read_bytes()
    database = _resources(stored[DATABASE])
    db_repository = f"{secure_registry.address}/{sub}/component-descriptors/{DATABASE}"
    [db_chart] = _helm_pull(
        helm,
        secure_registry,
        f"{db_repository}@{database['helm-chart']['access']['localReference']}",
        tmp_path / "db-chart",
        tmp_path,
    )
    assert _chart_files(db_chart.read_bytes()) == {
        f"postgres/{name}": text for name, text in DATABASE_CHART.items()
    }

    # ocm download gets the files byte for byte.
    app_ref = f"{target}//{APP}:{VERSION}"
    spec = _download(run_ocm, app_ref, "openapi-spec", inside, inside_env)
    assert spec.read_bytes() == (work / "app" / "deploy" / "openapi" / "spec.yaml").read_bytes()
    ord_document = _download(run_ocm, app_ref, "ord-document", inside, inside_env)
    assert ord_document.read_bytes() == outside.ord_document
    rgd = _download(run_ocm, f"{target}//{PRODUCT}:{VERSION}", "product-rgd", inside, inside_env)
    assert rgd.read_bytes() == RGD.encode()


@dataclass(frozen=True)
class Delivered:
    """A signed delivery imported into the registry below ``target``, verified once."""

    outside: Outside
    inside: Path
    env: dict[str, str]
    server: RegistryServer
    target: str


@pytest.fixture
def delivered(
    run_ocm: RunOcm, secure_registry: RegistryServer, vectors: Path, tmp_path: Path
) -> Delivered:
    """The three components built, signed, imported into a fresh sub path of the registry
    with TLS and basic auth, and verified there with only the public key."""
    outside = build_and_sign(run_ocm, tmp_path / "outside", vectors)
    inside = tmp_path / "inside"
    inside.mkdir()
    env = {**_isolated_env(inside), "SSL_CERT_FILE": str(secure_registry.ca_file)}
    inside_config(inside, secure_registry, outside.key)
    target = f"{secure_registry.url}/tamper-{uuid.uuid4().hex[:8]}"
    source = f"{outside.work / 'transport-archive'}//{PRODUCT}:{VERSION}"
    _ok(run_ocm("transfer", "cv", "-r", "--copy-resources", source, target, cwd=inside, env=env))
    checked = _ok(run_ocm("verify", "cv", f"{target}//{PRODUCT}:{VERSION}", cwd=inside, env=env))
    assert "SIGNATURE VERIFICATION SUCCESSFUL" in checked.stderr
    return Delivered(outside, inside, env, secure_registry, target)


def _stored_blob(server: RegistryServer, digest: str) -> Path:
    """The file in which the registry keeps the blob ``digest``."""
    algorithm, hexdigest = digest.split(":")
    path = (
        server.storage / "docker/registry/v2/blobs" / algorithm / hexdigest[:2] / hexdigest / "data"
    )
    assert path.is_file(), f"blob {digest} not in the registry's storage"
    return path


def _flip_last_byte(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[:-1] + bytes([data[-1] ^ 0x01]))


def _verify_fails(run_ocm: RunOcm, delivered: Delivered) -> str:
    ref = f"{delivered.target}//{PRODUCT}:{VERSION}"
    stderr = _failed(run_ocm("verify", "cv", ref, cwd=delivered.inside, env=delivered.env))
    assert stderr.startswith("Error: SIGNATURE VERIFICATION FAILED: "), stderr
    return stderr


def test_a_replaced_app_version_in_the_registry_fails_the_product_verification(
    run_ocm: RunOcm, delivered: Delivered
) -> None:
    # Someone with write access re-pushes the app with another OpenAPI file.
    app = delivered.outside.work / "app"
    (app / "deploy" / "openapi" / "spec.yaml").write_text("openapi: 3.1.0\npaths: {'/x': {}}\n")
    env = {**delivered.env, "NAME": APP, "VERSION": VERSION, "OCI_LAYOUT": "notes.tar.gz"}
    _ok(
        run_ocm(
            "add",
            "cv",
            "--repository",
            delivered.target,
            "--component-version-conflict-policy",
            "replace",
            "--config",
            str(delivered.inside / ".ocmconfig"),
            cwd=app,
            env=env,
        )
    )
    stderr = _verify_fails(run_ocm, delivered)
    assert f"reference 'app' ({APP}:{VERSION}) of {PRODUCT}:{VERSION}" in stderr
    assert "digest mismatch" in stderr


def test_a_changed_file_in_the_registry_storage_fails_the_verification(
    run_ocm: RunOcm, delivered: Delivered
) -> None:
    spec = (delivered.outside.work / "app" / "deploy" / "openapi" / "spec.yaml").read_bytes()
    _flip_last_byte(_stored_blob(delivered.server, _sha256(spec)))
    stderr = _verify_fails(run_ocm, delivered)
    # Issue 5: verification "fails on the first mismatch, naming the resource or reference".
    assert f"resource 'openapi-spec' of {APP}:{VERSION}" in stderr
    assert "digest mismatch" in stderr


def test_a_changed_image_layer_in_the_registry_storage_fails_the_verification(
    run_ocm: RunOcm, delivered: Delivered
) -> None:
    layer = delivered.outside.image.layers[1]
    _flip_last_byte(_stored_blob(delivered.server, _sha256(layer)))
    stderr = _verify_fails(run_ocm, delivered)
    assert f"resource 'image' of {APP}:{VERSION}" in stderr
    assert "digest mismatch" in stderr
    assert _sha256(layer) in stderr


# cli.md §7.3: the signing tutorial, word for word
# (website/content/docs/tutorials/signing/plain.md in the Go v2 repository).
TUTORIAL_CONSTRUCTOR = """\
components:
- name: github.com/acme.org/helloworld
  version: 1.0.0
  provider:
    name: acme.org
"""
TUTORIAL_CONFIG = """\
type: generic.config.ocm.software/v1
configurations:
  - type: credentials.config.ocm.software
    consumers:
      - identity:
          type: RSA/v1alpha1
          algorithm: RSASSA-PSS
          signature: default
        credentials:
          - type: RSACredentials/v1
            privateKeyPEMFile: {dir}/keys/private-key.pem
            publicKeyPEMFile: {dir}/keys/public-key.pem{trailing}
"""
# (The page's config ends the last line with two blanks; they are put back by the test.)
# The page's expected output of `ocm sign cv` (the digest does not depend on the key).
TUTORIAL_SIGNATURE = """\
digest:
  hashAlgorithm: SHA-256
  normalisationAlgorithm: jsonNormalisation/v4alpha1
  value: 4e376182b3d535143e8e009b1e467df3a5b0c1f912c71ae432200654c355606f
name: default
signature:
  algorithm: RSASSA-PSS
  mediaType: application/vnd.ocm.signature.rsa.pss
  value: {value}
"""
TUTORIAL_REF = "./transport-archive//github.com/acme.org/helloworld:1.0.0"


def test_the_signing_tutorial_word_for_word(run_ocm: RunOcm, tmp_path: Path) -> None:
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip(reason="openssl not installed (the tutorial makes its keys with it)")
    work = tmp_path / "ocm-signing-tutorial"
    work.mkdir()
    env = _isolated_env(tmp_path)
    (work / "component-constructor.yaml").write_text(TUTORIAL_CONSTRUCTOR)
    added = _ok(run_ocm("add", "cv", cwd=work, env=env))
    assert [line.rstrip() for line in added.stdout.splitlines()] == [
        " COMPONENT                      │ VERSION │ PROVIDER",
        "────────────────────────────────┼─────────┼──────────",
        " github.com/acme.org/helloworld │ 1.0.0   │ acme.org",
    ]

    (work / "keys").mkdir()
    private, public = work / "keys" / "private-key.pem", work / "keys" / "public-key.pem"
    keygen = ("genpkey", "-algorithm", "RSA", "-out", private, "-pkeyopt", "rsa_keygen_bits:4096")
    run_tool([openssl, *keygen])
    run_tool([openssl, "rsa", "-in", private, "-pubout", "-out", public])
    private.chmod(0o600)
    (work / ".ocmconfig").write_text(TUTORIAL_CONFIG.format(dir=work, trailing="  "))

    signed = _ok(run_ocm("sign", "cv", TUTORIAL_REF, cwd=work, env=env))
    assert 'msg="no signer configured, using default"' in signed.stderr
    value = yaml.safe_load(signed.stdout)["signature"]["value"]
    assert signed.stdout == TUTORIAL_SIGNATURE.format(value=value)
    # The signature is RSASSA-PSS over the digest with the tutorial's key, checked by openssl.
    (work / "digest.bin").write_bytes(bytes.fromhex(TUTORIAL_SIGNATURE.split()[6]))
    (work / "signature.bin").write_bytes(bytes.fromhex(value))
    files = ("-in", work / "digest.bin", "-sigfile", work / "signature.bin")
    pss = ("digest:sha256", "rsa_padding_mode:pss", "rsa_pss_saltlen:auto")
    options = [a for o in pss for a in ("-pkeyopt", o)]
    checked = run_tool(
        [openssl, "pkeyutl", "-verify", "-pubin", "-inkey", public, *files, *options]
    )
    assert b"Signature Verified Successfully" in checked

    shown = yaml.safe_load(
        _ok(run_ocm("get", "cv", TUTORIAL_REF, "-o", "yaml", cwd=work, env=env)).stdout
    )
    assert shown[0]["signatures"] == [yaml.safe_load(signed.stdout)]

    verified = _ok(run_ocm("verify", "cv", TUTORIAL_REF, cwd=work, env=env))
    assert 'msg="SIGNATURE VERIFICATION SUCCESSFUL"' in verified.stderr


# cli.md §7.7 items 37 and 41 (Go: cli/integration/transfer_oci_artifact_integration_test.go
# and transfer_with_transfer_config_test.go), and the sovereign scenario's database image: an
# image in a registry, referenced by an ociArtifact access, is copied by value.
TEST_COMPONENT = "ocm.software/test-component"
OCI_CONSTRUCTOR = """\
components:
- name: ocm.software/test-component
  version: v1.0.0
  provider:
    name: ocm.software
  resources:
  - name: test-oci-resource
    version: v1.0.0
    type: ociArtifact
    access:
      type: ociArtifact
      imageReference: {reference}
  - name: test-localblob-oci-resource
    version: v1.0.0
    type: ociArtifact
    input:
      type: file
      path: oci-layout.tar
      mediaType: application/vnd.ocm.software.oci.layout.v1+tar
"""


def _signing_configs(work: Path) -> None:
    """``signer.yaml`` (private key) and ``verifier.yaml`` (public key only) in ``work``."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    (work / "private.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    (work / "public.pem").write_bytes(_public_pem(key))
    head = (
        "type: generic.config.ocm.software/v1\nconfigurations:\n"
        "  - type: credentials.config.ocm.software\n    consumers:\n"
    )
    (work / "signer.yaml").write_text(head + CONSUMER.format(keys="privateKeyPEMFile: private.pem"))
    (work / "verifier.yaml").write_text(head + CONSUMER.format(keys="publicKeyPEMFile: public.pem"))


def _is_local_blob(resource: dict[str, Any]) -> bool:
    return str(resource["access"]["type"]).lower() in ("localblob", "localblob/v1")


def _push_image(skopeo: Path, registry: RegistryServer, work: Path) -> tuple[Image, str]:
    """A new image pushed by skopeo to ``<registry>/<repository>:v1.0.0``; the image and the
    repository."""
    image, files = image_layout(uuid.uuid4().hex)
    layout = work / "layout"
    for name, data in files.items():
        (layout / name).parent.mkdir(parents=True, exist_ok=True)
        (layout / name).write_bytes(data)
    repository = f"test-oci-resource-{uuid.uuid4().hex[:8]}"
    run_tool(
        [
            skopeo,
            "copy",
            "--dest-tls-verify=false",
            f"oci:{layout}:{VERSION}",
            f"docker://{registry.address}/{repository}:v1.0.0",
        ]
    )
    return image, repository


def test_an_image_in_a_registry_is_copied_by_value(
    run_ocm: RunOcm, registry: RegistryServer, skopeo: Path, tmp_path: Path
) -> None:
    env = _isolated_env(tmp_path)
    image, repository = _push_image(skopeo, registry, tmp_path)
    digest = _sha256(image.manifest)
    (tmp_path / "oci-layout.tar").write_bytes(_tar(image_layout(uuid.uuid4().hex)[1]))
    reference = f"http://{registry.address}/{repository}:v1.0.0@{digest}"
    (tmp_path / "constructor.yaml").write_text(OCI_CONSTRUCTOR.format(reference=reference))
    _ok(
        run_ocm(
            "add", "cv", "--repository", "./source", "-c", "constructor.yaml", cwd=tmp_path, env=env
        )
    )
    source = f"./source//{TEST_COMPONENT}:v1.0.0"
    recorded = _resources(_descriptor(run_ocm, source, tmp_path, env))["test-oci-resource"]
    assert recorded["digest"]["value"] == digest[7:]
    _signing_configs(tmp_path)
    _ok(run_ocm("sign", "cv", source, "--config", "signer.yaml", cwd=tmp_path, env=env))
    reference_name = f"{repository}:v1.0.0"

    sub = f"{registry.url}/oci-{uuid.uuid4().hex[:8]}"
    for target, flags in (
        (f"{sub}/default", ()),
        (f"{sub}/as/local", ("--upload-as", "localBlob")),
    ):
        _ok(
            run_ocm(
                "transfer", "cv", "--copy-resources", *flags, source, target, cwd=tmp_path, env=env
            )
        )
        copied, local = _descriptor(run_ocm, f"{target}//{TEST_COMPONENT}:v1.0.0", tmp_path, env)[
            "component"
        ]["resources"]
        assert copied["name"] == "test-oci-resource"
        assert _is_local_blob(copied)
        assert copied["access"]["referenceName"] == reference_name
        assert copied["digest"] == recorded["digest"]
        assert local["name"] == "test-localblob-oci-resource"
        assert _is_local_blob(local)
        # The signature still holds, and the copied image is checked against its digest.
        checked = _ok(
            run_ocm(
                "verify",
                "cv",
                f"{target}//{TEST_COMPONENT}:v1.0.0",
                "--config",
                "verifier.yaml",
                cwd=tmp_path,
                env=env,
            )
        )
        assert "not checked" not in checked.stderr

    # The copy is plain OCI in the target: skopeo takes the same image out by its digest.
    out = tmp_path / "skopeo-out"
    host_path = f"{sub.partition('://')[2]}/default/component-descriptors/{TEST_COMPONENT}"
    run_tool(
        [skopeo, "copy", "--src-tls-verify=false", f"docker://{host_path}@{digest}", f"oci:{out}"]
    )
    blobs = out / "blobs" / "sha256"
    assert (blobs / digest[7:]).read_bytes() == image.manifest
    for layer in image.layers:
        assert (blobs / _sha256(layer)[7:]).read_bytes() == layer

    # Through an intermediary CTF only the copied image gets a reference name.
    _ok(
        run_ocm(
            "transfer", "cv", "--copy-resources", source, "./intermediary", cwd=tmp_path, env=env
        )
    )
    copied, local = _descriptor(run_ocm, f"./intermediary//{TEST_COMPONENT}:v1.0.0", tmp_path, env)[
        "component"
    ]["resources"]
    assert _is_local_blob(copied) and copied["access"]["referenceName"] == reference_name
    assert _is_local_blob(local) and not local["access"].get("referenceName")
    downloaded = _download(
        run_ocm,
        f"./intermediary//{TEST_COMPONENT}:v1.0.0",
        "test-oci-resource",
        tmp_path,
        env,
        "--extraction-policy",
        "disable",
    )
    with tarfile.open(downloaded) as tar:
        index = json.load(tar.extractfile("index.json"))  # type: ignore[arg-type]
    assert [m["digest"] for m in index["manifests"]] == [digest]

    # --upload-as ociArtifact stores the image below the target, by its reference name: from
    # the source (the name comes from the image reference) and from the intermediary (from
    # the local blob's referenceName).  An image without a name stays a local blob.
    for origin, target in (
        (source, f"{sub}/as/oci/norefname"),
        (f"./intermediary//{TEST_COMPONENT}:v1.0.0", f"{sub}/as/oci/refname"),
    ):
        _ok(
            run_ocm(
                "transfer",
                "cv",
                "--copy-resources",
                "--upload-as",
                "ociArtifact",
                origin,
                target,
                cwd=tmp_path,
                env=env,
            )
        )
        ref = f"{target}//{TEST_COMPONENT}:v1.0.0"
        uploaded, local = _descriptor(run_ocm, ref, tmp_path, env)["component"]["resources"]
        assert uploaded["access"]["type"] in ("ociArtifact", "ociArtifact/v1", "OCIImage/v1")
        assert uploaded["access"]["imageReference"] == f"{target}/{reference_name}"
        assert uploaded["digest"] == recorded["digest"]
        assert _is_local_blob(local)
        checked = _ok(
            run_ocm("verify", "cv", ref, "--config", "verifier.yaml", cwd=tmp_path, env=env)
        )
        assert "not checked" not in checked.stderr
        out = tmp_path / f"skopeo-{target.rsplit('/', 1)[1]}"
        image_path = f"{target.partition('://')[2]}/{reference_name}"
        run_tool([skopeo, "copy", "--src-tls-verify=false", f"docker://{image_path}", f"oci:{out}"])
        [entry] = json.loads((out / "index.json").read_text())["manifests"]
        assert entry["digest"] == digest

    # The transfer configuration's copyMode does what --copy-resources does.
    (tmp_path / "copy.yaml").write_text(
        "type: generic.config.ocm.software/v1\nconfigurations:\n"
        "  - type: transfer.config.ocm.software/v1alpha1\n    copyMode: allResources\n"
    )
    _ok(
        run_ocm(
            "transfer", "cv", "--config", "copy.yaml", source, "./by-config", cwd=tmp_path, env=env
        )
    )
    copied = _resources(
        _descriptor(run_ocm, f"./by-config//{TEST_COMPONENT}:v1.0.0", tmp_path, env)
    )["test-oci-resource"]
    assert _is_local_blob(copied)


def test_a_tag_only_image_reference_is_pinned_when_added(
    run_ocm: RunOcm, registry: RegistryServer, skopeo: Path, tmp_path: Path
) -> None:
    """The sovereign scenario's database image is referenced by tag only
    (``docker.io/library/postgres:${POSTGRES_VERSION}``); the Go v2 CLI resolves the tag when
    adding, pins the reference with the manifest digest and records that digest (cli.md §7.1
    step 3), so that the component version can be signed."""
    env = _isolated_env(tmp_path)
    image, repository = _push_image(skopeo, registry, tmp_path)
    reference = f"http://{registry.address}/{repository}:v1.0.0"
    (tmp_path / "oci-layout.tar").write_bytes(_tar(image_layout(uuid.uuid4().hex)[1]))
    (tmp_path / "constructor.yaml").write_text(OCI_CONSTRUCTOR.format(reference=reference))
    _ok(run_ocm("add", "cv", "-c", "constructor.yaml", cwd=tmp_path, env=env))
    ref = f"./transport-archive//{TEST_COMPONENT}:v1.0.0"
    added = _resources(_descriptor(run_ocm, ref, tmp_path, env))["test-oci-resource"]
    digest = _sha256(image.manifest)
    assert added["digest"] == {
        "hashAlgorithm": "SHA-256",
        "normalisationAlgorithm": "genericBlobDigest/v1",
        "value": digest[7:],
    }
    assert added["access"]["imageReference"].endswith(f"/{repository}:v1.0.0@{digest}")
    _signing_configs(tmp_path)
    _ok(run_ocm("sign", "cv", ref, "--config", "signer.yaml", cwd=tmp_path, env=env))
