"""Fixtures for the descriptor tests: a small valid v2 document to break rule by rule."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def document() -> dict[str, Any]:
    """A fresh, schema-valid v2 document with one of each element kind."""
    return {
        "meta": {"schemaVersion": "v2"},
        "component": {
            "name": "acme.org/app",
            "version": "1.0.0",
            "provider": "acme",
            "creationTime": "2025-03-18T11:47:12Z",
            "labels": [{"name": "team", "value": "platform"}],
            "repositoryContexts": [{"type": "OCIRegistry", "baseUrl": "ghcr.io"}],
            "resources": [
                {
                    "name": "chart",
                    "version": "1.0.0",
                    "type": "helmChart",
                    "relation": "local",
                    "access": {"type": "localBlob", "localReference": "sha256:ab"},
                    "digest": {
                        "hashAlgorithm": "SHA-256",
                        "normalisationAlgorithm": "genericBlobDigest/v1",
                        "value": "ab",
                    },
                    "srcRefs": [{"identitySelector": {"name": "src"}}],
                }
            ],
            "sources": [
                {
                    "name": "src",
                    "version": "1.0.0",
                    "type": "git",
                    "access": {"type": "gitHub", "repoUrl": "github.com/acme/app"},
                }
            ],
            "componentReferences": [
                {"name": "base", "componentName": "acme.org/base", "version": "2.0.0"}
            ],
        },
        "signatures": [
            {
                "name": "acme",
                "digest": {
                    "hashAlgorithm": "SHA-256",
                    "normalisationAlgorithm": "jsonNormalisation/v4alpha1",
                    "value": "cd",
                },
                "signature": {
                    "algorithm": "RSASSA-PSS",
                    "value": "ef",
                    "mediaType": "application/vnd.ocm.signature.rsa",
                },
            }
        ],
    }
