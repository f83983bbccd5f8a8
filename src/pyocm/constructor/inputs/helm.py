"""The ``helm`` input: a Helm chart (a chart directory, a packaged ``.tgz``, or one downloaded)
as an OCI artifact.

    >>> from pyocm.constructor._fields import Fields
    >>> spec = parse(Fields({"type": "helm", "path": "charts/mychart"}, "in", []), "helm")
    >>> spec.path, spec.repository
    ('charts/mychart', None)

As in the Go v2 CLI, the chart becomes an OCI image layout (``application/vnd.ocm.software.
oci.layout.v1+tar+gzip``) holding one image manifest tagged with the chart version
(:mod:`pyocm.helm.oci`: Helm config, chart layer and, when there is a provenance file, a
provenance layer).  Repositories store it as a native OCI artifact where they can; the
resource digest is then the manifest digest.

Exactly one of these says where the chart comes from:

* ``path``: a chart directory, packaged as ``helm package`` does (:mod:`pyocm.helm.package`),
  or a packaged chart, with the ``<chart>.tgz.prov`` beside it when there is one;
* ``helmRepository``: an ``http(s)://`` URL of a chart archive (its provenance file is
  ``<url>.prov``), ``<repository URL>/<chart>:<version>`` (looked up in the repository's
  ``index.yaml``), or ``oci://<registry>/<path>/<chart>:<tag>``.  Downloads use the
  ``HelmChartRepository`` credentials of the URL (``OCIRegistry`` for ``oci://``) and trust
  the certificate authority ``caCertFile`` (a file in the working directory) or ``caCert``
  (PEM text) names, besides the context's.  The deprecated ``version`` overrides the version
  of the reference.

``repository``, if given, must be an OCI reference whose tag equals the chart version (the Go
CLI checks this and otherwise ignores it).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from pyocm._internal.sandbox import is_inside
from pyocm.access.context import AccessContext
from pyocm.access.helm import HelmChartBlob
from pyocm.blob import Blob, FileBlob
from pyocm.constructor._fields import Fields
from pyocm.constructor.inputs.base import InputContext, InputType, type_names
from pyocm.constructor.inputs.file import OCI_LAYOUT_TAR_GZIP
from pyocm.errors import OCMError
from pyocm.helm.chart import ChartMetadata, archive_metadata
from pyocm.helm.oci import chart_artifact, write_chart_layout
from pyocm.helm.package import package_directory


@dataclass(frozen=True)
class HelmInput:
    """A ``helm`` input."""

    type: str
    where: str
    path: str
    remote: str = ""
    repository: str | None = None
    version: str = ""
    ca_cert: str = ""
    ca_cert_file: str = ""

    def blob(self, context: InputContext) -> Blob:
        """The chart as a gzipped OCI image layout, written to the context's temp directory."""
        scratch = Path(tempfile.mkdtemp(prefix="helm-", dir=context.temp_directory))
        if self.remote:
            chart, provenance, meta = self._download(context, scratch)
        else:
            chart, provenance, meta = self._local(context, scratch)
        self._check_repository(meta.version)
        layout = scratch / "oci-layout.tar.gz"
        write_chart_layout(chart_artifact(meta, chart, provenance), layout, meta.version)
        return FileBlob(layout, OCI_LAYOUT_TAR_GZIP)

    def _local(
        self, context: InputContext, scratch: Path
    ) -> tuple[Path, Path | None, ChartMetadata]:
        real = context.path(self.path, self.where)
        root = context.working_directory.resolve()
        if real.is_dir():
            archive, meta = package_directory(real, root, scratch, self.where)
            return archive, None, meta
        if not real.is_file():
            raise OCMError(f"{self.where}: {self.path!r} is neither a chart directory nor a file")
        meta = archive_metadata(real, self.where)
        beside = real.with_name(real.name + ".prov")
        if beside.is_file() and is_inside(beside.resolve(), root):
            return real, beside, meta
        return real, None, meta

    def _download(
        self, context: InputContext, scratch: Path
    ) -> tuple[Path, Path | None, ChartMetadata]:
        access = self._access_context(context, scratch)
        blob = HelmChartBlob(
            self.remote,
            access,
            f"{self.where}: helmRepository",
            None,
            version=self.version,
            latest=False,
        )
        fetched = blob.fetch(scratch)
        return fetched.chart, fetched.provenance, fetched.metadata

    def _access_context(self, context: InputContext, scratch: Path) -> AccessContext:
        """The context for the download, trusting ``caCert``/``caCertFile`` when given."""
        base = context.access_context()
        if self.ca_cert_file:
            ca_file = context.path(self.ca_cert_file, self.where)
        elif self.ca_cert:
            ca_file = scratch / "ca.pem"
            ca_file.write_text(self.ca_cert)
        else:
            return base
        return AccessContext(
            credentials=base.credentials,
            consumer_credentials=base.consumer_credentials,
            ca_file=ca_file,
            insecure=base.insecure,
            retry=base.retry,
        )

    def _check_repository(self, version: str) -> None:
        if self.repository is None:
            return
        tag = _reference_tag(self.repository)
        if not tag:
            raise OCMError(f"{self.where}: repository {self.repository!r} needs a tag")
        if tag != version:
            raise OCMError(
                f"{self.where}: repository tag {tag!r} does not match the chart version {version!r}"
            )


def _reference_tag(reference: str) -> str:
    name = reference.split("@", 1)[0]
    last = name.rsplit("/", 1)[-1]
    return last.split(":", 1)[1] if ":" in last else ""


def parse(f: Fields, type_name: str) -> HelmInput:
    """Read a ``helm`` input object; exactly one of ``path`` and ``helmRepository``."""
    path = f.string("path")
    remote = f.string("helmRepository")
    version = f.string("version")
    ca_cert = f.string("caCert")
    ca_cert_file = f.string("caCertFile")
    if path and remote:
        f.fail("", "only one of 'path' or 'helmRepository' may be set")
    elif not path and not remote:
        f.fail("path", "is required (a chart directory or a packaged .tgz), or helmRepository")
    elif remote and not remote.startswith(("http://", "https://", "oci://")):
        f.fail("helmRepository", "must be an http(s):// URL of a chart or an oci:// reference")
    return HelmInput(
        type=type_name,
        where=f.path,
        path=path or "",
        remote=remote or "",
        repository=f.string("repository") or None,
        version=version or "",
        ca_cert=ca_cert or "",
        ca_cert_file=ca_cert_file or "",
    )


TYPE = InputType(type_names("Helm", "helm"), parse)
