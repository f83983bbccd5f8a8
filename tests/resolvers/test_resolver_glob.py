"""Resolver component name globs follow gobwas/glob without separators."""

from __future__ import annotations

import pytest

from pyocm.repository.resolvers_glob import GlobError, compile_glob

# gobwas/glob glob_test.go (TestGlob), the cases compiled without separators.
GOBWAS_CASES = [
    (True, "* ?at * eyes", "my cat has very bright eyes"),
    (True, "", ""),
    (False, "", "b"),
    (True, "*ä", "åä"),
    (True, "abc", "abc"),
    (True, "a*c", "abc"),
    (True, "a*c", "a12345c"),
    (True, "a?c", "a1c"),
    (True, "?at", "cat"),
    (True, "?at", "fat"),
    (True, "*", "abc"),
    (True, r"\*", "*"),
    (False, "?at", "at"),
    (True, "*test", "this is a test"),
    (True, "this*", "this is a test"),
    (True, "*is *", "this is a test"),
    (True, "*is*a*", "this is a test"),
    (True, "**test**", "this is a test"),
    (True, "**is**a***test*", "this is a test"),
    (False, "*is", "this is a test"),
    (False, "*no*", "this is a test"),
    (True, "[!a]*", "this is a test3"),
    (True, "*abc", "abcabc"),
    (True, "**abc", "abcabc"),
    (True, "???", "abc"),
    (True, "?*?", "abc"),
    (True, "?*?", "ac"),
    (False, "sta", "stagnation"),
    (True, "sta*", "stagnation"),
    (False, "sta?", "stagnation"),
    (False, "sta?n", "stagnation"),
    (True, "{abc,def}ghi", "defghi"),
    (True, "{abc,abcd}a", "abcda"),
    (True, "{a,ab}{bc,f}", "abc"),
    (True, "{*,**}{a,b}", "ab"),
    (False, "{*,**}{a,b}", "ac"),
    (True, "/{rate,[a-z][a-z][a-z]}*", "/rate"),
    (True, "/{rate,[0-9][0-9][0-9]}*", "/rate"),
    (True, "/{rate,[a-z][a-z][a-z]}*", "/usd"),
    (True, "*//{,*.}example.com", "https://www.example.com"),
    (True, "*//{,*.}example.com", "http://example.com"),
    (False, "*//{,*.}example.com", "http://example.com.net"),
    (True, "[a-z][!a-x]*cat*[h][!b]*eyes*", "my cat has very bright eyes"),
    (False, "[a-z][!a-x]*cat*[h][!b]*eyes*", "my dog has very bright eyes"),
    (True, "https://*.google.*", "https://account.google.com"),
    (False, "https://*.google.*", "https://google.com"),
    (True, "{https://*.google.*,*yandex.*,*yahoo.*,*mail.ru}", "http://yahoo.com"),
    (False, "{https://*.google.*,*yandex.*,*yahoo.*,*mail.ru}", "http://google.com"),
    (True, "{https://*gobwas.com,http://exclude.gobwas.com}", "https://safe.gobwas.com"),
    (False, "{https://*gobwas.com,http://exclude.gobwas.com}", "http://safe.gobwas.com"),
    (True, "{https://*gobwas.com,http://exclude.gobwas.com}", "http://exclude.gobwas.com"),
    (True, "{abc*def,abc?def,abc[zte]def}", "abczdef"),
    (True, "{abc*[a-c]def,abc?[d-g]def,abc[zte]?def}", "abczqdef"),
    (True, "abc*", "abcdef"),
    (False, "abc*", "af"),
    (True, "ab*ef", "abcdef"),
]

# The gobwas readme's examples (no separators).
README_CASES = [
    (True, "*.github.com", "api.github.com"),
    (True, "[abc]at", "cat"),
    (True, "[abc]at", "bat"),
    (False, "[abc]at", "fat"),
    (False, "[abc]at", "at"),
    (False, "[!abc]at", "cat"),
    (True, "[!abc]at", "fat"),
    (False, "[!abc]at", "at"),
    (True, "[a-c]at", "cat"),
    (False, "[a-c]at", "fat"),
    (False, "[!a-c]at", "bat"),
    (True, "[!a-c]at", "fat"),
]

# NG bindings/go/repository/component/pathmatcher/v1alpha1/spec_provider_test.go and the
# resolver documentation (website/content/docs/reference/resolver-configuration.md).
OCM_CASES = [
    (True, "ocm.software/core/*", "ocm.software/core/test"),
    (False, "ocm.software/core/*", "ocm.software/other/test"),
    (True, "*.software/*/test", "ocm.software/core/test"),
    (True, "ocm.software/*/test", "ocm.software/core/test"),
    (True, "ocm.software/core/[tc]est", "ocm.software/core/cest"),
    (False, "ocm.software/core/[tc]est", "ocm.software/core/best"),
    (True, "test-component", "test-component"),
    (False, "test-component", ""),
    (True, "*", "ocm.software/core/test"),
    (True, "example.com/core/**", "example.com/core/a/b"),
]

# Without separators, "*" crosses "/" (cli.md §9.16), unlike credential path globs.
NO_SEPARATOR_CASES = [
    (True, "acme.org/*", "acme.org/a/b"),
    (True, "acme.org/?/b", "acme.org/x/b"),
    (True, "acme.org/a?b", "acme.org/a/b"),
    (True, "acme.org/[!x]b", "acme.org//b"),
    (False, "acme.org/*", "acme.org"),
    (True, "acme.org/*", "acme.org/"),
]

# Lexer details: escapes, characters that are only special inside their brackets, an
# unclosed brace closing at the end, nesting, a trailing backslash dropped.
SYNTAX_CASES = [
    (True, r"a\?c", "a?c"),
    (False, r"a\?c", "abc"),
    (True, r"a\[b", "a[b"),
    (True, "a]b", "a]b"),
    (True, "a}b", "a}b"),
    (True, "a,b", "a,b"),
    (True, "{a,b", "b"),
    (True, "x{a,{b,c}d}", "xcd"),
    (False, "x{a,{b,c}d}", "xc"),
    (True, "{a,}b", "b"),
    (True, "{}", ""),
    (True, "abc\\", "abc"),
    (True, r"[\]]", "]"),
    (True, "[!!]", "a"),
    (False, "[!!]", "!"),
    (True, "[a!b]", "!"),
    (True, "[-a]", "-"),
    (True, "[.]", "."),
    (False, "[.]", "x"),
    (True, "a.b", "a.b"),
    (False, "a.b", "axb"),
    (True, "(a|b)+", "(a|b)+"),
    (False, "(a|b)+", "a"),
    (True, "?", "\n"),
]


@pytest.mark.parametrize(
    ("expected", "pattern", "name"),
    GOBWAS_CASES + README_CASES + OCM_CASES + NO_SEPARATOR_CASES + SYNTAX_CASES,
)
def test_glob_matches_like_gobwas_without_separators(
    expected: bool, pattern: str, name: str
) -> None:
    assert compile_glob(pattern).match(name) is expected


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ("[", "unexpected end of input"),
        ("x[ab", "unexpected end of input"),
        ("[]", "could not parse range"),
        ("[!]", "could not parse range"),
        ("[a-zA-Z]", "expected close range character"),
        ("[a-]", "unexpected end of input"),
        ("[z-a]", "hi character 'a' should be greater than lo 'z'"),
    ],
)
def test_malformed_patterns_are_refused_with_gobwas_reason(pattern: str, reason: str) -> None:
    with pytest.raises(GlobError) as caught:
        compile_glob(pattern)
    assert str(caught.value) == f"invalid glob pattern {pattern!r}: {reason}"
