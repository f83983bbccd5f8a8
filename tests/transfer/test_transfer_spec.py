"""The two-step transfer: ``--dry-run`` prints a plan, ``--transfer-spec`` runs it, edited or
not (cli.md §4.3, §7.7 item 42, with pyocm's own plan format)."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from fixtures.cli import error_line, ok
from fixtures.registry import RegistryServer

RunOcm = Callable[..., subprocess.CompletedProcess[str]]

CONSTRUCTOR = """\
components:
- name: acme.org/lib
  version: 1.0.0
  provider: {name: acme.org}
  resources:
  - {name: notes, type: plainText, input: {type: utf8, text: "lib notes"}}
- name: acme.org/app
  version: 1.0.0
  provider: {name: acme.org}
  componentReferences:
  - {name: lib, componentName: acme.org/lib, version: 1.0.0}
  resources:
  - {name: notes, type: plainText, input: {type: utf8, text: "app notes"}}
"""


def _names(run_ocm: RunOcm, repository: str, cwd: Path) -> set[str]:
    done = run_ocm("get", "cv", repository, "-o", "json", cwd=cwd)
    if done.returncode != 0:  # only an absent repository or component counts as "none there"
        assert re.search(r"not found|does not exist", error_line(done), re.IGNORECASE), done.stderr
        return set()
    return {
        f"{d['component']['name']}:{d['component']['version']}" for d in json.loads(done.stdout)
    }


@pytest.fixture
def work(run_ocm: RunOcm, tmp_path: Path) -> Path:
    (tmp_path / "component-constructor.yaml").write_text(CONSTRUCTOR)
    ok(run_ocm("add", "cv", "-r", "source", cwd=tmp_path))
    return tmp_path


def test_a_plan_runs_as_printed_and_after_its_target_was_edited(
    run_ocm: RunOcm, work: Path
) -> None:
    plan = ok(
        run_ocm("transfer", "cv", "-r", "--dry-run", "source//acme.org/app:1.0.0", "a", cwd=work)
    ).stdout
    (work / "plan.yaml").write_text(plan)
    (work / "edited.yaml").write_text(plan.replace("target: a\n", "target: b\n"))

    ok(run_ocm("transfer", "cv", "--transfer-spec", "edited.yaml", cwd=work))
    assert _names(run_ocm, "b", work) == {"acme.org/app:1.0.0", "acme.org/lib:1.0.0"}
    assert not (work / "a").exists()

    ok(run_ocm("transfer", "cv", "--transfer-spec", "plan.yaml", cwd=work))
    assert _names(run_ocm, "a", work) == {"acme.org/app:1.0.0", "acme.org/lib:1.0.0"}


def test_a_plan_from_stdin_with_fewer_versions(run_ocm: RunOcm, work: Path) -> None:
    source = "source//acme.org/app:1.0.0"
    printed = run_ocm("transfer", "cv", "-r", "--dry-run", "-o", "json", source, "t", cwd=work)
    plan = json.loads(ok(printed).stdout)
    plan["componentVersions"] = [
        v for v in plan["componentVersions"] if v["component"] == "acme.org/lib"
    ]
    plan["options"]["recursive"] = False
    ok(run_ocm("transfer", "cv", "--transfer-spec", "-", cwd=work, input=json.dumps(plan)))
    assert _names(run_ocm, "t", work) == {"acme.org/lib:1.0.0"}


def test_a_stale_plan_is_planned_again(run_ocm: RunOcm, work: Path) -> None:
    source = "source//acme.org/lib:1.0.0"
    plan = ok(run_ocm("transfer", "cv", "--dry-run", source, "t", cwd=work)).stdout
    assert yaml.safe_load(plan)["componentVersions"][0]["action"] == "add"
    (work / "plan.yaml").write_text(plan)
    # meanwhile another lib 1.0.0 arrives in the target
    (work / "other.yaml").write_text(CONSTRUCTOR.replace('"lib notes"', '"other notes"'))
    ok(run_ocm("add", "cv", "-r", "t", "-c", "other.yaml", cwd=work))

    line = error_line(run_ocm("transfer", "cv", "--transfer-spec", "plan.yaml", cwd=work))
    assert "acme.org/lib:1.0.0 already exists in target" in line
    replace = ("--component-version-conflict-policy", "replace")
    ok(run_ocm("transfer", "cv", "--transfer-spec", "plan.yaml", *replace, cwd=work))


def test_a_plan_into_another_registry_path(
    run_ocm: RunOcm, work: Path, registry: RegistryServer
) -> None:
    first, second = f"{registry.url}/spec-a", f"{registry.url}/spec-b"
    source = "source//acme.org/app:1.0.0"
    plan = ok(run_ocm("transfer", "cv", "-r", "--dry-run", source, first, cwd=work)).stdout
    (work / "plan.yaml").write_text(plan.replace("/spec-a", "/spec-b"))
    ok(run_ocm("transfer", "cv", "--transfer-spec", "plan.yaml", cwd=work))
    assert _names(run_ocm, f"{second}//acme.org/app", work) == {"acme.org/app:1.0.0"}
    assert _names(run_ocm, f"{first}//acme.org/app", work) == set()


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ("environment: {}\ntransformations: []\n", "transformation graph of the Go CLI"),
        ("type: something/v1\n", "expected transferplan.pyocm.software/v1alpha1"),
        (
            "type: transferplan.pyocm.software/v1alpha1\nsource: source\ntarget: t\n",
            "componentVersions: must list at least one",
        ),
        (
            "type: transferplan.pyocm.software/v1alpha1\nsource: source\ntarget: t\n"
            "options: {copyResources: 'yes'}\n"
            "componentVersions: [{component: acme.org/lib, version: 1.0.0}]\n",
            "options.copyResources: must be a bool",
        ),
    ],
)
def test_bad_plans_fail_with_one_line(
    run_ocm: RunOcm, work: Path, document: str, expected: str
) -> None:
    (work / "plan.yaml").write_text(document)
    line = error_line(run_ocm("transfer", "cv", "--transfer-spec", "plan.yaml", cwd=work))
    assert expected in line
    assert not (work / "t").exists()


def test_a_missing_plan_file(run_ocm: RunOcm, work: Path) -> None:
    line = error_line(run_ocm("transfer", "cv", "--transfer-spec", "nope.yaml", cwd=work))
    assert "cannot read transfer spec nope.yaml" in line
