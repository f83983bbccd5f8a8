"""Reading a plan document back: the two-step transfer (``--dry-run``, review, ``--transfer-spec``).

    >>> from pyocm.transfer.plan_document import read_plan_document
    >>> planned = read_plan_document({
    ...     "type": "transferplan.pyocm.software/v1alpha1",
    ...     "source": "./ctf", "target": "http://127.0.0.1:5000/airgap",
    ...     "options": {"recursive": True, "copyResources": True},
    ...     "componentVersions": [{"component": "acme.org/db", "version": "1.0.0"},
    ...                           {"component": "acme.org/app", "version": "1.0.0"}]})
    >>> planned.target, planned.options.copy_resources, planned.versions[-1]
    ('http://127.0.0.1:5000/airgap', True, ('acme.org/app', '1.0.0'))

``ocm transfer cv --dry-run`` prints a plan (:meth:`pyocm.transfer.TransferPlan.to_dict`); a
user may review or edit it (point it at another target, drop versions) and run it with
``--transfer-spec``.  What is read back is the request, not the decisions: ``source``,
``target``, ``options`` and the ``component``/``version`` of each entry of
``componentVersions``.  The transfer is then planned again against the repositories as they
are now (actions, copies and conflicts are decided afresh), so a plan that went stale cannot
write what the target no longer expects.  The Go CLI's transformation graphs (CEL
expressions over its own node types) are a different format and are refused with a message
that says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pyocm.errors import OCMError
from pyocm.transfer.discovery import Key
from pyocm.transfer.plan import ABORT_AND_FAIL, PLAN_TYPE, TransferOptions

_OPTION_FIELDS = {
    "recursive": "recursive",
    "copyResources": "copy_resources",
    "allowByReference": "allow_by_reference",
    "uploadAs": "upload_as",
    "conflictPolicy": "conflict_policy",
}


@dataclass(frozen=True)
class PlannedTransfer:
    """The transfer a plan document asks for."""

    source: str
    """The source repository, as a repository reference (``[type::]path-or-url``)."""
    target: str
    """The target repository, likewise."""
    options: TransferOptions
    versions: tuple[Key, ...]
    """The component versions to transfer, in the document's order."""


def read_plan_document(data: object) -> PlannedTransfer:
    """The transfer ``data`` (a parsed plan document) asks for.

    Raises :class:`OCMError` naming the field that is missing or wrong.
    """
    if not isinstance(data, Mapping):
        raise OCMError("a transfer plan must be an object")
    kind = data.get("type")
    if kind != PLAN_TYPE:
        if "transformations" in data or "environment" in data:
            raise OCMError(
                "this is a transformation graph of the Go CLI (CEL expressions over its own "
                f"node types); pyocm runs its own plans (type {PLAN_TYPE}, printed by "
                "transfer --dry-run)"
            )
        raise OCMError(f"type: expected {PLAN_TYPE}, got {kind!r}")
    source = _text(data, "source")
    target = _text(data, "target")
    options = _options(data.get("options") or {})
    entries = data.get("componentVersions")
    if not isinstance(entries, list) or not entries:
        raise OCMError("componentVersions: must list at least one component version")
    versions: list[Key] = []
    for i, entry in enumerate(entries):
        where = f"componentVersions[{i}]"
        if not isinstance(entry, Mapping):
            raise OCMError(f"{where}: must be an object")
        key = (_text(entry, "component", where), _text(entry, "version", where))
        if key not in versions:
            versions.append(key)
    return PlannedTransfer(source, target, options, tuple(versions))


def _text(data: Mapping[str, Any], key: str, where: str = "") -> str:
    value = data.get(key)
    path = f"{where}.{key}" if where else key
    if not isinstance(value, str) or not value:
        raise OCMError(f"{path}: must be a non-empty string")
    return value


def _options(data: object) -> TransferOptions:
    if not isinstance(data, Mapping):
        raise OCMError("options: must be an object")
    values: dict[str, Any] = {}
    for key, value in data.items():
        name = _OPTION_FIELDS.get(str(key))
        if name is None:
            known = ", ".join(_OPTION_FIELDS)
            raise OCMError(f"options.{key}: unknown option (known: {known})")
        expected = bool if name in ("recursive", "copy_resources", "allow_by_reference") else str
        if not isinstance(value, expected):
            raise OCMError(f"options.{key}: must be a {expected.__name__}")
        values[name] = value
    values.setdefault("conflict_policy", ABORT_AND_FAIL)
    try:
        return TransferOptions(**values)
    except OCMError as e:
        raise OCMError(f"options: {e}") from None
