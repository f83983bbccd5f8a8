"""``http.config.ocm.software/v1alpha1``: timeouts, TLS verification and retries, per host.

    >>> from pyocm.config.httpconfig import http_config
    >>> from pyocm.config.model import Config, ConfigEntry
    >>> entry = ConfigEntry.from_data({
    ...     "type": "http.config.ocm.software/v1alpha1", "timeout": "60s",
    ...     "hosts": {"registry.local:5000": {"insecureSkipVerify": True}}})
    >>> http = http_config(Config((entry,)))
    >>> http.to_dict()["timeout"], http.resolve_host("registry.local:5000").insecure_skip_verify
    ('1m0s', True)
    >>> http.resolve_host("ghcr.io").insecure_skip_verify is None
    True

Every field is optional; an unset one inherits (from the global values for a host, from the
library defaults globally: ``timeout`` 30s, retries 5 between 200ms and 3s).  Entries merge
field by field, the last one that sets a field winning; ``hosts`` merge key by key, a later
entry replacing a host's whole block.  A host's block is found by ``host:port`` first, then by
the bare host name.  Durations are Go durations (``30s``, ``1m``) or nanosecond numbers, and
are validated as the Go CLI validates them before any command runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from pyocm.config._fields import (
    MISSING,
    bool_value,
    duration_value,
    int_value,
    invalid,
    lookup,
    mapping_value,
)
from pyocm.config.durations import format_duration
from pyocm.config.model import HTTP, Config

__all__ = ["DEFAULT_TIMEOUT", "HTTPConfig", "HostConfig", "RetryConfig", "http_config"]

DEFAULT_TIMEOUT = 30_000_000_000
"""The whole-request timeout when none is configured (30s, in nanoseconds)."""

_TIMEOUTS = (
    ("timeout", "timeout"),
    ("tcp_dial_timeout", "tcpDialTimeout"),
    ("tcp_keep_alive", "tcpKeepAlive"),
    ("tls_handshake_timeout", "tlsHandshakeTimeout"),
    ("response_header_timeout", "responseHeaderTimeout"),
    ("idle_conn_timeout", "idleConnTimeout"),
)


@dataclass(frozen=True)
class RetryConfig:
    """Retry policy; None fields use the defaults (5 retries, 200ms to 3s back-off)."""

    max_retries: int | None = None
    """0 retries forever, -1 disables retries."""
    min_wait: int | None = None
    """Nanoseconds."""
    max_wait: int | None = None
    """Nanoseconds."""

    def merged(self, other: RetryConfig | None) -> RetryConfig:
        """These settings overridden by the fields ``other`` sets."""
        if other is None:
            return self
        return RetryConfig(
            *(
                getattr(other, f.name)
                if getattr(other, f.name) is not None
                else getattr(self, f.name)
                for f in fields(self)
            )
        )

    def to_dict(self) -> dict[str, Any]:
        """Go's JSON form (unset fields left out)."""
        data: dict[str, Any] = {}
        if self.max_retries is not None:
            data["maxRetries"] = self.max_retries
        if self.min_wait is not None:
            data["minWait"] = format_duration(self.min_wait)
        if self.max_wait is not None:
            data["maxWait"] = format_duration(self.max_wait)
        return data


@dataclass(frozen=True)
class HostConfig:
    """HTTP settings; in :attr:`HTTPConfig.hosts` None fields inherit the global ones."""

    timeout: int | None = None
    """The whole request, redirects and body included (nanoseconds; 0 is no limit)."""
    tcp_dial_timeout: int | None = None
    tcp_keep_alive: int | None = None
    """Negative disables keep-alive probes."""
    tls_handshake_timeout: int | None = None
    response_header_timeout: int | None = None
    idle_conn_timeout: int | None = None
    insecure_skip_verify: bool | None = None
    """Skip TLS certificate verification (development only)."""
    retry: RetryConfig | None = None

    def merged(self, other: HostConfig | None) -> HostConfig:
        """These settings overridden by the fields ``other`` sets (retry field by field)."""
        if other is None:
            return self
        changes: dict[str, Any] = {
            name: getattr(other, name)
            for name, _ in (*_TIMEOUTS, ("insecure_skip_verify", ""))
            if getattr(other, name) is not None
        }
        if other.retry is not None:
            changes["retry"] = (self.retry or RetryConfig()).merged(other.retry)
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """Go's JSON form (unset fields left out)."""
        data: dict[str, Any] = {}
        for name, key in _TIMEOUTS:
            value = getattr(self, name)
            if value is not None:
                data[key] = format_duration(value)
        if self.insecure_skip_verify is not None:
            data["insecureSkipVerify"] = self.insecure_skip_verify
        if self.retry is not None:
            data["retry"] = self.retry.to_dict()
        return data

    def problems(self) -> list[str]:
        """What Go's validation rejects: negative timeouts and waits, bad retry counts."""
        found = []
        for name, key in _TIMEOUTS:
            value = getattr(self, name)
            if name != "tcp_keep_alive" and value is not None and value < 0:
                found.append(
                    f"invalid value for {key}: {format_duration(value)}, must be zero or positive"
                )
        retry = self.retry
        if retry is not None:
            if retry.max_retries is not None and retry.max_retries < -1:
                found.append(
                    f"invalid retry config: invalid value for maxRetries: {retry.max_retries}, "
                    "must be -1 (disable), 0 (infinite), or positive"
                )
            for key, value in (("minWait", retry.min_wait), ("maxWait", retry.max_wait)):
                if value is not None and value < 0:
                    found.append(
                        f"invalid retry config: invalid value for {key}: "
                        f"{format_duration(value)}, must be zero or positive"
                    )
            low, high = retry.min_wait, retry.max_wait
            if low is not None and high is not None and low > high:
                found.append(
                    f"invalid retry config: minWait ({format_duration(low)}) must not exceed "
                    f"maxWait ({format_duration(high)})"
                )
        return found


@dataclass(frozen=True)
class HTTPConfig:
    """The merged HTTP configuration: global settings and per-host overrides."""

    defaults: HostConfig = field(default_factory=HostConfig)
    """The global settings (``timeout`` is always set)."""
    hosts: Mapping[str, HostConfig | None] = field(default_factory=dict)
    """Overrides by ``host`` or ``host:port`` (lower-case, exact)."""
    configured: bool = False
    """Whether any http entry was present (``get config`` shows the entry only then)."""

    def resolve_host(self, host: str) -> HostConfig:
        """The settings for ``host`` (``name`` or ``name:port``, IPv6 in brackets)."""
        for key in _host_keys(host):
            override = self.hosts.get(key)
            if override is not None:
                return self.defaults.merged(override)
        return self.defaults

    def to_dict(self) -> dict[str, Any]:
        """The merged entry as Go writes it."""
        data: dict[str, Any] = {"type": f"{HTTP}/v1alpha1", **self.defaults.to_dict()}
        if self.hosts:
            data["hosts"] = {
                key: (value.to_dict() if value is not None else None)
                for key, value in sorted(self.hosts.items())
            }
        return data


def _host_keys(host: str) -> list[str]:
    """``host`` and then its bare host name, as Go's ``HostKeys`` tries them."""
    if not host:
        return []
    name = host
    colon = name.rfind(":")
    if colon != -1 and all(c in "0123456789" for c in name[colon + 1 :]):
        name = name[:colon]
    if name.startswith("[") and name.endswith("]"):
        name = name[1:-1]
    return [host, name] if name != host else [host]


def _parse_settings(data: Mapping[str, Any], where: str) -> HostConfig:
    values: dict[str, Any] = {}
    for name, key in _TIMEOUTS:
        value = lookup(data, key)
        if value is not MISSING and value is not None:
            values[name] = duration_value(value, f"{where}.{key}")
    insecure = lookup(data, "insecureSkipVerify")
    if insecure is not MISSING and insecure is not None:
        values["insecure_skip_verify"] = bool_value(insecure, f"{where}.insecureSkipVerify")
    retry = lookup(data, "retry")
    if retry is not MISSING and retry is not None:
        here = f"{where}.retry"
        spec = mapping_value(retry, here)
        count = lookup(spec, "maxRetries")
        waits = {}
        for name, key in (("min_wait", "minWait"), ("max_wait", "maxWait")):
            value = lookup(spec, key)
            if value is not MISSING and value is not None:
                waits[name] = duration_value(value, f"{here}.{key}")
        values["retry"] = RetryConfig(
            None if count is MISSING or count is None else int_value(count, f"{here}.maxRetries"),
            **waits,
        )
    return HostConfig(**values)


def http_config(config: Config) -> HTTPConfig:
    """The merged and validated HTTP configuration (defaults when there is no http entry)."""
    entries = config.entries_of(HTTP, "v1alpha1", "")
    defaults = HostConfig()
    hosts: dict[str, HostConfig | None] = {}
    for entry in entries:
        defaults = defaults.merged(_parse_settings(entry.data, entry.where))
        found = mapping_value(lookup(entry.data, "hosts"), f"{entry.where}.hosts")
        for key, value in found.items():
            where = f"{entry.where}.hosts.{key}"
            hosts[key] = (
                None if value is None else _parse_settings(mapping_value(value, where), where)
            )
    if defaults.timeout is None:
        defaults = replace(defaults, timeout=DEFAULT_TIMEOUT)
    problems = defaults.problems()
    for key in sorted(hosts):
        host = hosts[key]
        for problem in host.problems() if host is not None else []:
            kind = "" if problem.startswith("invalid retry config") else "invalid timeout config: "
            problems.append(f'host "{key}": {kind}{problem}')
    if problems:
        raise invalid(f"{HTTP}/v1alpha1", f"invalid http configuration: {problems[0]}")
    return HTTPConfig(defaults, hosts, configured=bool(entries))
