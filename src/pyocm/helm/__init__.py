"""Helm charts as files: reading and packaging them, and their OCI form.

    >>> from pyocm.helm.chart import chart_metadata
    >>> chart_metadata(b"name: mychart\\nversion: 0.1.0\\n", "mychart").archive_name
    'mychart-0.1.0.tgz'

One concept per module, shared by the ``helm`` input (:mod:`pyocm.constructor.inputs.helm`),
the ``helm`` access (:mod:`pyocm.access.helm`), transfers and downloads:

* :mod:`pyocm.helm.chart`: ``Chart.yaml`` metadata and packaged chart archives;
* :mod:`pyocm.helm.package`: a chart directory packaged as ``helm package`` does;
* :mod:`pyocm.helm.oci`: a chart as an OCI artifact (config, chart and provenance layers), and
  finding the chart in one.

HTTP(S) chart repositories (``index.yaml``, downloads) are reached by the access type
(:mod:`pyocm.access.helm_repository`); the ``helm`` download transformer is
:mod:`pyocm.transformers.helm`.  This package builds on :mod:`pyocm.blob` and :mod:`pyocm.oci`
(and the OCM media type names), nothing above them.
"""
