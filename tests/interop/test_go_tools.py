"""The Go reference CLIs that the interoperability tests run are the versions they claim."""

from __future__ import annotations

import json

from fixtures.go_ocm import GoOcm


def test_go_v2_is_0_13_0(go_ocm_v2: GoOcm) -> None:
    version = json.loads(go_ocm_v2.ok("version").stdout)
    assert version["gitVersion"] == "0.13.0"


def test_legacy_v1_is_0_48_0(go_ocm_v1: GoOcm) -> None:
    version = json.loads(go_ocm_v1.ok("version").stdout)
    assert version["GitVersion"] == "v0.48.0"
