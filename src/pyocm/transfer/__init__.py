"""Transferring component versions between repositories: plan the graph, then copy it.

    >>> import tempfile
    >>> from pyocm.blob import BytesBlob
    >>> from pyocm.descriptor import Component, Descriptor, Provider, Resource
    >>> from pyocm.repository import open_repository
    >>> from pyocm.transfer import TransferOptions, execute_plan, plan_transfer
    >>> work = tempfile.mkdtemp()
    >>> with open_repository(work + "/src", mode="create") as src:
    ...     res = src.add_local_resource("acme.org/app", "1.0.0",
    ...         Resource(name="readme", version="1.0.0", type="plainText"),
    ...         BytesBlob(b"hello", "text/plain"))
    ...     src.add_component_version(
    ...         Descriptor(Component("acme.org/app", "1.0.0", Provider("acme"), resources=[res])))
    ...     with open_repository(work + "/dst.tgz", mode="create") as dst:
    ...         plan = plan_transfer(src, dst, [("acme.org/app", "1.0.0")], TransferOptions())
    ...         execute_plan(plan, src, dst).transferred
    (('acme.org/app', '1.0.0'),)

:func:`plan_transfer` discovers the versions (and, recursively, what they reference, checking
reference digests), decides per version what to do about one already in the target, and per
resource and source whether its content is copied by value (:mod:`pyocm.transfer.plan`).
:func:`execute_plan` runs the plan with a bounded pool of threads, streaming and verifying
every blob and pushing each descriptor only after its blobs and the versions it references
(:mod:`pyocm.transfer.execute`), reporting :class:`Event` s to an observer.  Both work with
any :class:`pyocm.repository.Repository`.  A printed plan can be read back as a request and
run later (:mod:`pyocm.transfer.plan_document`).
"""

from pyocm.transfer.discovery import Key, discover, select_versions
from pyocm.transfer.events import Event, Item, Observer
from pyocm.transfer.execute import TransferFailed, TransferResult, execute_plan
from pyocm.transfer.plan import (
    ABORT_AND_FAIL,
    CONFLICT_POLICIES,
    DEFAULT_CONCURRENCY,
    PLAN_TYPE,
    REPLACE,
    SKIP,
    ElementPlan,
    TransferOptions,
    TransferPlan,
    VersionPlan,
    plan_transfer,
)
from pyocm.transfer.plan_document import PlannedTransfer, read_plan_document

__all__ = [
    "ABORT_AND_FAIL",
    "CONFLICT_POLICIES",
    "DEFAULT_CONCURRENCY",
    "PLAN_TYPE",
    "REPLACE",
    "SKIP",
    "ElementPlan",
    "Event",
    "Item",
    "Key",
    "Observer",
    "PlannedTransfer",
    "TransferFailed",
    "TransferOptions",
    "TransferPlan",
    "TransferResult",
    "VersionPlan",
    "discover",
    "execute_plan",
    "plan_transfer",
    "read_plan_document",
    "select_versions",
]
