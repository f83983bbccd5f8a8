"""``ocm transfer component-version``: copy component versions between repositories.

>>> from pyocm.cli.commands.transfer import transfer
>>> sorted(transfer.commands)
['component-version']
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from click.core import ParameterSource

from pyocm.cli.aliases import OcmCommand, OcmGroup
from pyocm.cli.commands.names import (
    COMPONENT_VERSION,
    COMPONENT_VERSION_ALIASES,
    REFERENCE_FORMAT,
    SUGGEST_COMPONENT_VERSION,
)
from pyocm.cli.flags import Enum, bool_flag
from pyocm.cli.positional import exact_args

if TYPE_CHECKING:
    from pyocm.access.context import AccessContext
    from pyocm.repository import Repository, RepositorySpec
    from pyocm.repository.legacy import Compatibility
    from pyocm.transfer import TransferPlan
    from pyocm.transfer.plan_document import PlannedTransfer

_HELP = f"""\
Transfer component version(s) from a source repository to a target repository.

With a version in the source reference exactly that version is transferred; without one, all
versions (filtered by --semver-constraint and --latest). --recursive follows component
references, each found through the resolvers of the configuration (resolvers.config), the source
repository last; a reference that records a digest must match the version it leads to. Local
blobs, read from the repository each version was found in, are always copied by value;
--copy-resources copies resources with other accesses too; a resource whose content pyocm cannot
fetch fails the transfer before anything is copied, naming it and why, unless
--allow-by-reference lets it keep its access (with a warning). Descriptors, resource digests
and signatures are copied unchanged apart from the accesses, so signatures still verify.

Blobs and component versions are copied by --concurrency threads at a time, every blob
verified against its digest; a component version is written only after all its blobs and the
versions it references, so an interrupted transfer leaves no half-written version and a
re-run picks up where it stopped.

--component-version-conflict-policy decides about versions already in the target:
abort-and-fail (default) skips those identical to the source (same normalised digest, the
source's signatures, copied blobs stored locally) and fails before copying anything if one
differs; skip leaves every existing version alone; replace writes them again (what the Go CLI
always does).

--dry-run prints the plan (pyocm's own format, type transferplan.pyocm.software/v1alpha1) and
changes nothing; --transfer-spec FILE runs such a plan (after review or edits: another target,
fewer versions): its source, target, options and versions, planned again against the
repositories as they are then. The Go CLI's transformation graphs are not understood.

Progress goes to stderr: a live display on a terminal, log lines otherwise. Nothing is printed
on stdout unless --dry-run is given.

{REFERENCE_FORMAT}"""

_EXAMPLES = """\
# Transfer one component version from a CTF archive to an OCI registry
transfer component-version ./transport-archive//ocm.software/mycomponent:1.0.0 \\
    ghcr.io/target-org/ocm

# Transfer recursively, copying every resource pyocm can fetch
transfer component-version -r --copy-resources \\
    ghcr.io/source-org/ocm//ocm.software/mycomponent:1.0.0 ghcr.io/target-org/ocm

# Show the plan without transferring anything
transfer component-version --dry-run -o yaml -r \\
    ghcr.io/source-org/ocm//ocm.software/mycomponent:1.0.0 ./transport-archive.tgz

# Overwrite versions that already exist in the target, eight copies at a time
transfer component-version --component-version-conflict-policy replace --concurrency 8 \\
    ./transport-archive//ocm.software/mycomponent ghcr.io/target-org/ocm"""

_SPEC_IGNORES = ("recursive", "copy_resources", "allow_by_reference", "upload_as")


def _transfer_args(ctx: click.Context, args: tuple[str, ...]) -> None:
    if ctx.params.get("transfer_spec"):
        if args:
            raise click.UsageError(
                "positional arguments are not allowed when --transfer-spec is set", ctx
            )
        import logging

        for name in _SPEC_IGNORES:
            if ctx.get_parameter_source(name) == ParameterSource.COMMANDLINE:
                flag = "--" + name.replace("_", "-")
                logging.getLogger(__name__).warning(
                    f"{flag} has no effect when --transfer-spec is set"
                )
        return
    exact_args(2)(ctx, args)


@click.command(
    COMPONENT_VERSION,
    cls=OcmCommand,
    aliases=COMPONENT_VERSION_ALIASES,
    suggest_for=SUGGEST_COMPONENT_VERSION,
    short_help="Transfer one or more component versions between OCM repositories",
    help=_HELP,
    examples=_EXAMPLES,
    args_metavar="{reference} {target}",
    check_args=_transfer_args,
)
@click.option(
    "-o",
    "--output",
    type=Enum(("yaml", "json", "ndjson")),
    default="yaml",
    help="output format of the transfer plan (with --dry-run)",
)
@bool_flag("dry-run", "build and validate the graph but do not execute")
@bool_flag("recursive", "recursively discover and transfer component versions", short="r")
@bool_flag("copy-resources", "copy all resources in the component version")
@bool_flag(
    "allow-by-reference",
    "with --copy-resources, keep resources whose content cannot be fetched by reference (a "
    "warning each) instead of failing the transfer",
)
@click.option(
    "-u",
    "--upload-as",
    type=Enum(("localBlob", "ociArtifact")),
    default="localBlob",
    help="how copied resources are stored in an OCI target: as local blobs or as OCI artifacts "
    "(only relevant with --copy-resources)",
)
@click.option(
    "--transfer-spec",
    default="",
    show_default=False,
    help='path to a transfer plan printed by --dry-run (use "-" for stdin) to run instead of '
    "a reference and a target",
)
@click.option(
    "--semver-constraint",
    default="",
    show_default=False,
    help='semantic version constraint restricting which versions to transfer (e.g. ">= 1.0.0, '
    '< 2.0.0"); only used when no version is specified in the reference',
)
@bool_flag(
    "latest",
    "if set, only the latest version of the component is transferred; only used when no "
    "version is specified in the reference",
)
@click.option(
    "--concurrency",
    type=click.IntRange(min=1),
    default=4,
    help="how many blobs and component versions are copied at the same time (1: one by one)",
)
@click.option(
    "--component-version-conflict-policy",
    type=Enum(("abort-and-fail", "replace", "skip")),
    default="abort-and-fail",
    help="what to do with component versions already in the target: abort-and-fail (skip "
    "identical ones, fail on others), replace, or skip",
)
@click.option(
    "--compatibility",
    type=Enum(("v2", "legacy")),
    default="v2",
    help="write for Go v2 readers (v2) or as the legacy v1 CLI writes, for old v1 readers "
    "(legacy: YAML descriptor layer, lowercase access types, no OCI artifacts)",
)
@click.pass_context
def transfer_component_version(
    ctx: click.Context,
    /,
    args: tuple[str, ...],
    output: str,
    dry_run: bool,
    recursive: bool,
    copy_resources: bool,
    allow_by_reference: bool,
    upload_as: str,
    transfer_spec: str,
    semver_constraint: str,
    latest: bool,
    concurrency: int,
    component_version_conflict_policy: str,
    compatibility: Compatibility,
    **_: Any,
) -> None:
    """Transfer component versions from a source repository into a target repository."""
    import logging

    from pyocm.cli.repositories import access_context, open_for, resolving_for
    from pyocm.cli.session import command_config
    from pyocm.config.merge import TransferConfig, transfer_config
    from pyocm.repository import OCISpec, parse_component_reference, parse_repository
    from pyocm.transfer import TransferOptions, plan_transfer, select_versions

    log = logging.getLogger("pyocm.cli")
    configured = transfer_config(command_config(ctx)) or TransferConfig()
    if not _given(ctx, "recursive"):
        recursive = configured.recursive == -1
    if not _given(ctx, "copy_resources"):
        copy_resources = configured.copy_mode == "allResources"
    if not _given(ctx, "upload_as"):
        upload_as = configured.upload_type or "localBlob"
    options = TransferOptions(
        recursive=recursive,
        copy_resources=copy_resources,
        allow_by_reference=allow_by_reference,
        upload_as=upload_as,
        conflict_policy=component_version_conflict_policy,
    )
    roots: list[tuple[str, str]] = []
    if transfer_spec:
        planned = _read_plan(transfer_spec)
        source_name, target_name, roots = planned.source, planned.target, list(planned.versions)
        source_spec = parse_repository(source_name)
        components = sorted({component for component, _ in roots})
        options = planned.options
        if _given(ctx, "component_version_conflict_policy"):
            options = replace(options, conflict_policy=component_version_conflict_policy)
    else:
        ref = parse_component_reference(args[0], strict_version=False)
        source_spec, target_name, components = ref.repository, args[1], [ref.component]
        source_name = _typed_as_given(args[0], str(ref.repository))
        if ref.version:
            roots = [(ref.component, ref.version)]
            for name in ("semver_constraint", "latest"):
                if _given(ctx, name):
                    flag = "--" + name.replace("_", "-")
                    log.warning(
                        f"{flag} has no effect when a version is already specified in the reference"
                    )
        if ref.digest:
            log.warning(
                "the digest in the source reference is not checked by transfer",
                extra={"digest": ref.digest},
            )
    target_spec = parse_repository(target_name)
    if options.allow_by_reference and not options.copy_resources:
        log.warning("--allow-by-reference has no effect without --copy-resources")
    if options.upload_as == "ociArtifact" and not options.copy_resources:
        if _given(ctx, "upload_as"):
            log.warning("--upload-as ociArtifact has no effect without --copy-resources")
    elif options.upload_as == "ociArtifact" and not isinstance(target_spec, OCISpec):
        log.info("--upload-as ociArtifact: a CTF target stores OCI artifacts as local blobs")
    with (
        open_for(ctx, source_spec) as base,
        resolving_for(ctx, source_spec, base, components) as source,
        access_context(ctx) as accesses,
    ):
        if not roots:
            versions = select_versions(source, components[0], semver_constraint, latest)
            roots = [(components[0], version) for version in versions]

        def plan(target: Repository | None) -> TransferPlan:
            return plan_transfer(
                source,
                target,
                roots,
                options,
                concurrency=concurrency,
                source_name=source_name,
                target_name=target_name,
                context=accesses,
            )

        if dry_run:
            target = _existing(ctx, target_spec)
            try:
                click.echo(_render_plan(plan(target), output), nl=False)
            finally:
                if target is not None:
                    target.close()
            return
        with open_for(ctx, target_spec, "create", compatibility) as target:
            _run(plan(target), source, target, concurrency, accesses)


def _read_plan(path: str) -> PlannedTransfer:
    """The plan document at ``path`` (``-``: standard input), read back as a request."""
    from pyocm._internal.documents import parse_document
    from pyocm.errors import OCMError
    from pyocm.transfer.plan_document import read_plan_document

    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise OCMError(f"cannot read transfer spec {path}: {e}") from None
    try:
        return read_plan_document(parse_document(text, path))
    except OCMError as e:
        raise OCMError(f"invalid transfer spec {path}: {e}") from None


def _typed_as_given(reference: str, repository: str) -> str:
    """``repository`` with the ``type::`` prefix ``reference`` was written with, if any, so
    that a printed plan names its source as the user did and reads back the same."""
    head, sep, _ = reference.partition("::")
    return f"{head}::{repository}" if sep and not set("/[").intersection(head) else repository


def _given(ctx: click.Context, name: str) -> bool:
    """Whether the flag ``name`` was set on the command line."""
    return ctx.get_parameter_source(name) == ParameterSource.COMMANDLINE


def _existing(ctx: click.Context, spec: RepositorySpec) -> Repository | None:
    """The target opened read-only for a dry run; ``None`` when it does not exist yet."""
    from pyocm.cli.repositories import open_for
    from pyocm.errors import NotFound

    try:
        return open_for(ctx, spec)
    except NotFound:
        return None


def _render_plan(plan: TransferPlan, output: str) -> str:
    """The plan document as YAML, indented JSON, or NDJSON (one line per component version)."""
    import json

    from pyocm._internal.documents import dump_data

    if output == "ndjson":
        lines = [json.dumps(v.to_dict(), ensure_ascii=False) for v in plan.versions]
        return "".join(line + "\n" for line in lines)
    return dump_data(plan.to_dict(), "json" if output == "json" else "yaml")


def _run(
    plan: TransferPlan,
    source: Repository,
    target: Repository,
    concurrency: int,
    context: AccessContext,
) -> None:
    """Execute ``plan`` with the progress display, finish the target (packing an archive) and
    log a summary."""
    import logging

    from pyocm.cli.transfer_progress import close_target, transfer_progress
    from pyocm.transfer import execute_plan

    with transfer_progress(plan) as observer:
        result = execute_plan(
            plan, source, target, concurrency=concurrency, observer=observer, context=context
        )
    close_target(target)
    logging.getLogger("pyocm.transfer").info(
        "transfer finished",
        extra={
            "transferred": len(result.transferred),
            "skipped": len(result.skipped),
            "blobs": result.blobs,
            "bytes": result.bytes,
            "seconds": round(result.seconds, 3),
        },
    )


transfer = OcmGroup(
    "transfer",
    [transfer_component_version],
    short_help="Transfer anything in OCM",
    help="Transfer anything in OCM",
)
