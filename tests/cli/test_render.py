"""Component-version lists render exactly as the Go CLI prints them.

Expected texts are copied from the Go reference (open-component-model/open-component-model):
``cli/internal/render/graph/tree/renderer_test.go``, ``cli/cmd/cmd_test.go`` and the website
tutorials under ``website/content/docs/``.  Lines are kept as string literals so that their
trailing blanks, which go-pretty prints, stay visible.
"""

# Reference outputs are kept verbatim: long lines and trailing blanks included.
# ruff: noqa: E501, W291
from __future__ import annotations

import doctest
import json

import pytest
import yaml

import pyocm.cli.render
from pyocm.cli.render import Node, identity, render, table, tree, walk
from pyocm.descriptor import (
    AccessSpec,
    Component,
    Descriptor,
    Digest,
    Label,
    Provider,
    Reference,
    Resource,
)


def cv(name: str, version: str, provider: str = "ocm.software") -> Descriptor:
    """A descriptor like cmd_test.go's createTestDescriptor."""
    return Descriptor(Component(name=name, version=version, provider=Provider(provider)))


def text(*lines: str) -> str:
    return "".join(line + "\n" for line in lines)


# --- table ---------------------------------------------------------------------------------


def test_table_of_one_component_version() -> None:
    # cmd_test.go Test_Add_Component_Version_Formats, "Default Options (Table)"
    expected = text(
        " COMPONENT                │ VERSION │ PROVIDER     ",
        "──────────────────────────┼─────────┼──────────────",
        " ocm.software/examples-01 │ 1.0.0   │ ocm.software ",
    )
    assert table([cv("ocm.software/examples-01", "1.0.0")]) == expected


def _tutorial_platform() -> list[Node]:
    """website tutorials/advanced-component-constructor.md: platform and its references."""
    frontend = Node(cv("ocm.software/tutorials/frontend", "1.5.0"))
    backend = Node(cv("ocm.software/tutorials/backend", "3.1.0"))
    web = Node(cv("ocm.software/tutorials/product-web", "2.0.0"), [frontend, backend])
    data = Node(cv("ocm.software/tutorials/product-data", "1.3.0"))
    return [Node(cv("ocm.software/tutorials/platform", "1.0.0"), [web, data])]


def test_table_of_a_graph_repeats_the_provider_in_every_row() -> None:
    # website tutorials/advanced-component-constructor.md, output of `ocm add cv`; the Go CLI
    # leaves repeated providers blank (merged cells), which reads as a missing provider
    expected = text(
        " COMPONENT                           │ VERSION │ PROVIDER     ",
        "─────────────────────────────────────┼─────────┼──────────────",
        " ocm.software/tutorials/platform     │ 1.0.0   │ ocm.software ",
        " ocm.software/tutorials/product-web  │ 2.0.0   │ ocm.software ",
        " ocm.software/tutorials/frontend     │ 1.5.0   │ ocm.software ",
        " ocm.software/tutorials/backend      │ 3.1.0   │ ocm.software ",
        " ocm.software/tutorials/product-data │ 1.3.0   │ ocm.software ",
    )
    assert render("table", _tutorial_platform()) == expected


def test_table_repeats_a_component_name() -> None:
    # cmd_test.go Test_List_Component_Version_Variations, "all versions" (Go compares the
    # outputs with strings.TrimSpace, so the reference lacks the outer blanks); Go leaves the
    # second name and provider blank
    reference = """
COMPONENT                   │ VERSION │ PROVIDER     
─────────────────────────────┼─────────┼──────────────
 ocm.software/test-component │ 0.0.2   │ ocm.software 
 ocm.software/test-component │ 0.0.1   │ ocm.software 
"""
    roots = [Node(cv("ocm.software/test-component", v)) for v in ("0.0.2", "0.0.1")]
    assert render("table", roots).strip() == reference.strip()


def test_table_repeats_a_name_that_is_not_directly_above() -> None:
    # cmd_test.go Test_List_Component_Version_Variations_Recursive, "all versions" (providers
    # repeated, where Go leaves them blank)
    reference = """
COMPONENT           │ VERSION │ PROVIDER     
─────────────────────┼─────────┼──────────────
 ocm.software/root   │ 0.0.2   │ ocm.software 
 ocm.software/leaf-a │ 0.0.1   │ ocm.software 
 ocm.software/root   │ 0.0.1   │ ocm.software 
 ocm.software/leaf-a │ 0.0.1   │ ocm.software 
 ocm.software/leaf-b │ 0.0.1   │ ocm.software
"""
    leaf_a, leaf_b = cv("ocm.software/leaf-a", "0.0.1"), cv("ocm.software/leaf-b", "0.0.1")
    roots = [
        Node(cv("ocm.software/root", "0.0.2"), [Node(leaf_a)]),
        Node(cv("ocm.software/root", "0.0.1"), [Node(leaf_a), Node(leaf_b)]),
    ]
    assert render("table", roots).strip() == reference.strip()


def test_table_of_a_repository_listing() -> None:
    # cmd_test.go Test_Get_Component_Version_CTF_Dir (provider repeated, where Go leaves it
    # blank)
    reference = """
COMPONENT           │ VERSION │ PROVIDER     
─────────────────────┼─────────┼──────────────
 ocm.software/root-b │ 0.0.2   │ ocm.software 
 ocm.software/root-a │ 0.0.1   │ ocm.software"""
    descriptors = [cv("ocm.software/root-b", "0.0.2"), cv("ocm.software/root-a", "0.0.1")]
    assert table(descriptors).strip() == reference.strip()


def test_table_matches_the_getting_started_sample() -> None:
    # cli.md §1.5 and website getting-started/create-component-version.md; the docs drop
    # the trailing blanks of the lines.
    reference = [
        " COMPONENT                      │ VERSION │ PROVIDER",
        "────────────────────────────────┼─────────┼──────────",
        " github.com/acme.org/helloworld │ 1.0.0   │ acme.org",
    ]
    rendered = table([cv("github.com/acme.org/helloworld", "1.0.0", "acme.org")])
    assert [line.rstrip() for line in rendered.splitlines()] == reference


def test_table_without_rows_has_header_and_rule() -> None:
    # go-pretty renders the header separator even without rows
    # (Options.DoNotRenderSeparatorWhenEmpty is false in StyleLight).
    assert table([]) == text(
        " COMPONENT │ VERSION │ PROVIDER ",
        "───────────┼─────────┼──────────",
    )


def test_table_pads_wide_characters_by_display_width() -> None:
    rendered = table([cv("acme.org/日本", "1.0.0", "acme")])
    # "acme.org/日本" takes 13 columns, like "COMPONENT" padded to 13.
    assert rendered.splitlines()[0] == " COMPONENT     │ VERSION │ PROVIDER "
    assert rendered.splitlines()[2] == " acme.org/日本 │ 1.0.0   │ acme     "


# --- tree ----------------------------------------------------------------------------------


def test_tree_of_one_root() -> None:
    # renderer_test.go TestRenderOnce, first render
    expected = text(
        " NESTING  COMPONENT  VERSION  PROVIDER  IDENTITY                   ",
        " └─       comp-a     v1.0.0   acme      name=comp-a,version=v1.0.0 ",
    )
    assert tree([Node(cv("comp-a", "v1.0.0", "acme"))]) == expected


def test_tree_of_two_roots() -> None:
    # renderer_test.go TestRenderOnce, after adding B
    expected = text(
        " NESTING  COMPONENT  VERSION  PROVIDER  IDENTITY                   ",
        " ├─       comp-a     v1.0.0   acme      name=comp-a,version=v1.0.0 ",
        " └─       comp-b     v2.0.0   acme      name=comp-b,version=v2.0.0 ",
    )
    roots = [Node(cv("comp-a", "v1.0.0", "acme")), Node(cv("comp-b", "v2.0.0", "acme"))]
    assert tree(roots) == expected


def test_tree_marks_nodes_with_children() -> None:
    # renderer_test.go TestRenderOnce, after adding the edge A -> B
    expected = text(
        " NESTING  COMPONENT  VERSION  PROVIDER  IDENTITY                   ",
        " └─ ●     comp-a     v1.0.0   acme      name=comp-a,version=v1.0.0 ",
        "    └─    comp-b     v2.0.0   acme      name=comp-b,version=v2.0.0 ",
    )
    roots = [Node(cv("comp-a", "v1.0.0", "acme"), [Node(cv("comp-b", "v2.0.0", "acme"))])]
    assert tree(roots) == expected


def test_tree_draws_continuing_branches() -> None:
    # renderer_test.go TestRenderOnce, A -> B -> C and A -> D
    expected = text(
        " NESTING   COMPONENT  VERSION  PROVIDER  IDENTITY                   ",
        " └─ ●      comp-a     v1.0.0   acme      name=comp-a,version=v1.0.0 ",
        "    ├─ ●   comp-b     v2.0.0   acme      name=comp-b,version=v2.0.0 ",
        "    │  └─  comp-c     v1.5.0   other     name=comp-c,version=v1.5.0 ",
        "    └─     comp-d     v3.0.0   acme      name=comp-d,version=v3.0.0 ",
    )
    c = Node(cv("comp-c", "v1.5.0", "other"))
    b = Node(cv("comp-b", "v2.0.0", "acme"), [c])
    d = Node(cv("comp-d", "v3.0.0", "acme"))
    assert tree([Node(cv("comp-a", "v1.0.0", "acme"), [b, d])]) == expected


def test_tree_of_several_roots_with_children() -> None:
    # renderer_test.go TestRunRenderLoop, "Multiple roots" (without the erase sequence).  The
    # Go test prints the discovery state in the COMPONENT column, so only the NESTING column
    # is compared here.
    expected = [
        " NESTING   COMPONENT             VERSION  PROVIDER  IDENTITY                   ",
        " ├─ ●      comp-a (completed)    v1.0.0   acme      name=comp-a,version=v1.0.0 ",
        " │  ├─ ●   comp-b (completed)    v2.0.0   acme      name=comp-b,version=v2.0.0 ",
        " │  │  └─  comp-c (completed)    v1.5.0   other     name=comp-c,version=v1.5.0 ",
        " │  └─     comp-d (completed)    v3.0.0   acme      name=comp-d,version=v3.0.0 ",
        " ├─ ●      comp-d (discovering)  v3.0.0   acme      name=comp-d,version=v3.0.0 ",
        " │  └─     comp-d (discovering)  v3.0.0   acme      name=comp-d,version=v3.0.0 ",
        " └─        comp-d (discovering)  v3.0.0   acme      name=comp-d,version=v3.0.0 ",
    ]
    c = Node(cv("comp-c", "v1.5.0", "other"))
    b = Node(cv("comp-b", "v2.0.0", "acme"), [c])
    a = Node(cv("comp-a", "v1.0.0", "acme"), [b, Node(cv("comp-d", "v3.0.0", "acme"))])
    x = Node(cv("comp-d", "v3.0.0", "acme"), [Node(cv("comp-d", "v3.0.0", "acme"))])
    y = Node(cv("comp-d", "v3.0.0", "acme"))
    rendered = tree([a, x, y]).splitlines()
    assert [line[:10] for line in rendered] == [line[:10] for line in expected]


def test_tree_of_the_tutorial_product() -> None:
    # website tutorials/advanced-component-constructor.md, `ocm get cv ... --recursive=-1
    # -o tree`: children in the order of componentReferences (frontend before backend).
    expected = text(
        " NESTING   COMPONENT                            VERSION  PROVIDER      IDENTITY                                               ",
        " └─ ●      ocm.software/tutorials/platform      1.0.0    ocm.software  name=ocm.software/tutorials/platform,version=1.0.0     ",
        "    ├─ ●   ocm.software/tutorials/product-web   2.0.0    ocm.software  name=ocm.software/tutorials/product-web,version=2.0.0  ",
        "    │  ├─  ocm.software/tutorials/frontend      1.5.0    ocm.software  name=ocm.software/tutorials/frontend,version=1.5.0     ",
        "    │  └─  ocm.software/tutorials/backend       3.1.0    ocm.software  name=ocm.software/tutorials/backend,version=3.1.0      ",
        "    └─     ocm.software/tutorials/product-data  1.3.0    ocm.software  name=ocm.software/tutorials/product-data,version=1.3.0 ",
    )
    assert render("tree", _tutorial_platform()) == expected


def test_tree_of_a_product_with_three_references() -> None:
    # website how-to/model-products.md (the docs drop the trailing blanks)
    reference = [
        " NESTING  COMPONENT                     VERSION  PROVIDER      IDENTITY",
        " └─ ●     ocm.software/how-to/product   2.0.0    ocm.software  name=ocm.software/how-to/product,version=2.0.0",
        "    ├─    ocm.software/how-to/backend   3.1.0    ocm.software  name=ocm.software/how-to/backend,version=3.1.0",
        "    ├─    ocm.software/how-to/frontend  1.5.0    ocm.software  name=ocm.software/how-to/frontend,version=1.5.0",
        "    └─    ocm.software/how-to/cache     2.0.0    ocm.software  name=ocm.software/how-to/cache,version=2.0.0",
    ]
    services = [("backend", "3.1.0"), ("frontend", "1.5.0"), ("cache", "2.0.0")]
    children = [Node(cv(f"ocm.software/how-to/{n}", v)) for n, v in services]
    product = Node(cv("ocm.software/how-to/product", "2.0.0"), children)
    assert [line.rstrip() for line in tree([product]).splitlines()] == reference


def test_tree_of_recursive_listing() -> None:
    # cmd_test.go Test_List_Component_Version_Variations_Recursive, "tree output"
    reference = """NESTING  COMPONENT            VERSION  PROVIDER      IDENTITY                               
 ├─ ●     ocm.software/root    0.0.2    ocm.software  name=ocm.software/root,version=0.0.2   
 │  └─    ocm.software/leaf-a  0.0.1    ocm.software  name=ocm.software/leaf-a,version=0.0.1 
 └─ ●     ocm.software/root    0.0.1    ocm.software  name=ocm.software/root,version=0.0.1   
    ├─    ocm.software/leaf-a  0.0.1    ocm.software  name=ocm.software/leaf-a,version=0.0.1 
    └─    ocm.software/leaf-b  0.0.1    ocm.software  name=ocm.software/leaf-b,version=0.0.1"""
    leaf_a, leaf_b = cv("ocm.software/leaf-a", "0.0.1"), cv("ocm.software/leaf-b", "0.0.1")
    roots = [
        Node(cv("ocm.software/root", "0.0.2"), [Node(leaf_a)]),
        Node(cv("ocm.software/root", "0.0.1"), [Node(leaf_a), Node(leaf_b)]),
    ]
    assert tree(roots).strip() == reference.strip()


def test_tree_provider_in_v2_form_for_add() -> None:
    # `ocm add cv -o tree` prints descriptorV2.Component.Provider, the v2 string, which is a
    # JSON object when the provider has labels (cli/cmd/add/component-version/cmd.go).
    labelled = cv("acme.org/app", "1.0.0")
    labelled.component.provider = Provider("acme", [Label("team", "blue")])
    row = tree([Node(labelled)], v2_provider=True).splitlines()[1]
    assert '{"name":"acme","labels":[{"name":"team","value":"blue"}]}' in row
    assert " acme " in tree([Node(labelled)]).splitlines()[1]


def test_tree_handles_deep_graphs() -> None:
    node = Node(cv("acme.org/leaf", "1.0.0"))
    for i in range(1500):  # deeper than Python's default recursion limit
        node = Node(cv(f"acme.org/c{i}", "1.0.0"), [node])
    assert len(tree([node]).splitlines()) == 1502


# --- yaml / json / ndjson ------------------------------------------------------------------

GO_YAML_ONE = """
- component:
    componentReferences: null
    name: ocm.software/test-component
    provider: ocm.software
    repositoryContexts: null
    resources: null
    sources: null
    version: 0.0.1
  meta:
    schemaVersion: v2
"""  # cmd_test.go Test_Get_Component_Version_Formats, "YAML output"


def test_yaml_is_a_sequence_even_for_one_descriptor() -> None:
    # Deliberate difference: pyocm's model prints empty lists as [], Go prints nil as null.
    expected = GO_YAML_ONE.lstrip("\n").replace(": null", ": []")
    assert render("yaml", [Node(cv("ocm.software/test-component", "0.0.1"))]) == expected


def test_yaml_of_a_descriptor_with_a_resource() -> None:
    # cmd_test.go Test_Add_Component_Version_Formats, "YAML output"
    reference = """
- component:
    componentReferences: null
    name: ocm.software/examples-01
    provider: ocm.software
    repositoryContexts: null
    resources:
    - access:
        localReference: sha256:c3ab8ff13720e8ad9047dd39466b3c8974e592c2fa383d4a3960714caef0c4f2
        mediaType: text/plain; charset=utf-8
        type: LocalBlob/v1
      digest:
        hashAlgorithm: SHA-256
        normalisationAlgorithm: genericBlobDigest/v1
        value: c3ab8ff13720e8ad9047dd39466b3c8974e592c2fa383d4a3960714caef0c4f2
      name: my-file
      relation: local
      type: blob
      version: 1.0.0
    sources: null
    version: 1.0.0
  meta:
    schemaVersion: v2
"""
    digest = "c3ab8ff13720e8ad9047dd39466b3c8974e592c2fa383d4a3960714caef0c4f2"
    descriptor = cv("ocm.software/examples-01", "1.0.0")
    descriptor.component.resources.append(
        Resource(
            name="my-file",
            version="1.0.0",
            type="blob",
            relation="local",
            access=AccessSpec(
                "LocalBlob/v1",
                {"localReference": f"sha256:{digest}", "mediaType": "text/plain; charset=utf-8"},
            ),
            digest=Digest("SHA-256", "genericBlobDigest/v1", digest),
        )
    )
    expected = reference.lstrip("\n").replace(": null", ": []")
    assert render("yaml", [Node(descriptor)]) == expected


def _recursive_root() -> list[Node]:
    """cmd_test.go Test_Get_Component_Version_Formats_Recursive: root -> leaf-a, leaf-b."""
    leaf_a, leaf_b = cv("ocm.software/leaf-a", "0.0.1"), cv("ocm.software/leaf-b", "0.0.1")
    root = cv("ocm.software/root", "0.0.1")
    root.component.references = [
        Reference(name="leaf-a", version="0.0.1", component_name="ocm.software/leaf-a"),
        Reference(name="leaf-b", version="0.0.1", component_name="ocm.software/leaf-b"),
    ]
    return [Node(root, [Node(leaf_a), Node(leaf_b)])]


def test_yaml_lists_descriptors_in_render_order() -> None:
    # cmd_test.go Test_Get_Component_Version_Formats_Recursive, "YAML output": root, leaf-a,
    # leaf-b
    documents = yaml.safe_load(render("yaml", _recursive_root()))
    names = [d["component"]["name"] for d in documents]
    assert names == ["ocm.software/root", "ocm.software/leaf-a", "ocm.software/leaf-b"]


def _go_json_component(name: str) -> dict[str, object]:
    # cmd_test.go Test_Get_Component_Version_Formats, the decoded JSON, with [] for null
    return {
        "component": {
            "componentReferences": [],
            "name": name,
            "provider": "ocm.software",
            "repositoryContexts": [],
            "resources": [],
            "sources": [],
            "version": "0.0.1",
        },
        "meta": {"schemaVersion": "v2"},
    }


def test_json_is_an_indented_array() -> None:
    rendered = render("json", [Node(cv("ocm.software/test-component", "0.0.1"))])
    assert json.loads(rendered) == [_go_json_component("ocm.software/test-component")]
    assert rendered.startswith('[\n  {\n    "meta": {\n      "schemaVersion": "v2"')
    assert rendered.endswith("\n]\n")


def test_ndjson_has_one_compact_descriptor_per_line() -> None:
    roots = [Node(cv("ocm.software/leaf-a", "0.0.1")), Node(cv("ocm.software/leaf-b", "0.0.1"))]
    lines = render("ndjson", roots).splitlines(keepends=True)
    assert [json.loads(line) for line in lines] == [
        _go_json_component("ocm.software/leaf-a"),
        _go_json_component("ocm.software/leaf-b"),
    ]
    assert all(line.endswith("}\n") and ": " not in line for line in lines)


def test_empty_lists_are_null_as_go_marshals_a_nil_slice() -> None:
    # list.Serializer marshals a nil []any: json.MarshalIndent gives null, yaml gives null,
    # the ndjson encoder writes nothing.
    assert render("json", []) == "null\n"
    assert render("yaml", []) == "null\n"
    assert render("ndjson", []) == ""


# --- order and helpers ---------------------------------------------------------------------


def test_render_order_is_depth_first_and_repeats_shared_children() -> None:
    shared = Node(cv("acme.org/shared", "1.0.0"))
    left = Node(cv("acme.org/left", "1.0.0"), [shared])
    right = Node(cv("acme.org/right", "1.0.0"), [shared])
    top = Node(cv("acme.org/top", "1.0.0"), [left, right])
    names = [n.descriptor.component.name.removeprefix("acme.org/") for n in walk([top])]
    assert names == ["top", "left", "shared", "right", "shared"]


def test_identity_sorts_keys_and_leaves_out_empty_values() -> None:
    assert identity(cv("acme.org/app", "1.0.0")) == "name=acme.org/app,version=1.0.0"
    assert identity(cv("acme.org/app", "")) == "name=acme.org/app"


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="invalid"):
        render("invalid", [])


def test_module_examples_run() -> None:
    assert doctest.testmod(pyocm.cli.render).failed == 0
