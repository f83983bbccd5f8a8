"""Validation of descriptors (placeholder until the schema module lands)."""

from __future__ import annotations

from typing import Any

from pyocm.descriptor.model import Descriptor


def validate(descriptor: Descriptor) -> None:
    """Check a descriptor against the schema and identity rules."""


def validate_document(data: Any) -> None:
    """Check a parsed document against the v2 JSON schema."""
