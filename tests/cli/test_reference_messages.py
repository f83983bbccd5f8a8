"""``ocm get cv`` with malformed references: the error names what is wrong with which part."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from pyocm.repository import parse_reference

Invoke = Callable[..., Result]

CONSTRUCTOR = """\
name: acme.org/hello
version: 1.0.0
provider: {name: acme.org}
"""


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "hello.txt").write_text("hello\n")
    return tmp_path


def _error(result: Result) -> str:
    assert result.exit_code == 1, result.stdout
    assert result.stderr.startswith("Error: ")
    return result.stderr.removeprefix("Error: ").strip()


@pytest.mark.usefixtures("workdir")
def test_a_file_before_the_separator_is_named_as_no_ctf(invoke: Invoke) -> None:
    message = _error(invoke("get", "cv", "./src/hello.txt//x/y:1.0.0"))
    assert message.startswith("src/hello.txt is not a CTF")
    assert "//x/y" not in message  # not the whole reference taken for a path


@pytest.mark.usefixtures("workdir")
def test_a_missing_repository_before_the_separator_is_named(invoke: Invoke) -> None:
    message = _error(invoke("get", "cv", "./missing//x/y:1.0.0"))
    assert message == "CTF './missing' does not exist"


def test_a_bad_component_name_in_an_existing_ctf_is_named(invoke: Invoke, workdir: Path) -> None:
    (workdir / "component-constructor.yaml").write_text(CONSTRUCTOR)
    assert invoke("add", "cv", "--repository", "./ctf").exit_code == 0
    message = _error(invoke("get", "cv", "./ctf//x/y:1.0.0"))
    assert message.startswith("invalid component name 'x/y' in './ctf//x/y:1.0.0'")


@pytest.mark.usefixtures("workdir")
def test_an_unknown_repository_type_is_named_with_the_known_ones(invoke: Invoke) -> None:
    message = _error(invoke("get", "cv", "foo::./ctf"))
    assert "'foo' is not a known type" in message
    for known in ("CommonTransportFormat", "CTF", "OCIRepository", "OCI"):
        assert known in message
    assert "invalid component reference" not in message


@pytest.mark.usefixtures("workdir")
@pytest.mark.parametrize("reference", ["//", "//acme.org/app:1.0.0", "ctf::"])
def test_an_empty_repository_is_an_invalid_reference(invoke: Invoke, reference: str) -> None:
    message = _error(invoke("get", "cv", reference))
    assert message.startswith(f"invalid reference {reference!r}: the repository is empty")


@pytest.mark.usefixtures("workdir")
def test_an_empty_directory_names_the_repository_it_listed(invoke: Invoke) -> None:
    assert _error(invoke("get", "cv", "./src")) == "no components found in CTF src"


def test_a_url_scheme_is_no_component_separator() -> None:
    assert str(parse_reference("oci::http://localhost:5000")) == "http://localhost:5000"
    assert str(parse_reference("http://localhost")) == "http://localhost"
