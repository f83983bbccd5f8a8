"""Versions and constraints behave as Masterminds/semver v3.5.0, the library of the Go CLI.

The tables below are the table tests of ``github.com/Masterminds/semver/v3@v3.5.0``
(``version_test.go``, ``constraints_test.go``, ``collection_test.go``), copied as data; each
names the Go test it comes from.  They are the authority for this module.  Left out: the
``CoerceNewVersion = false`` variants (the Go CLI never switches coercion off) and the tests
of Go API pyocm does not have (increment, setters, JSON/SQL marshalling).
"""

from __future__ import annotations

import doctest
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

import pyocm.semver
from pyocm.errors import OCMError
from pyocm.semver import Constraint, Version, _parse_term, _rewrite_ranges, filter_and_sort

# version_test.go TestStrictNewVersion
STRICT_NEW_VERSION = [
    ("1.2.3", False),
    ("1.2.3-alpha.01", True),
    ("1.2.3+test.01", False),
    ("1.2.3-alpha.-1", False),
    ("v1.2.3", True),
    ("1.0", True),
    ("v1.0", True),
    ("1", True),
    ("v1", True),
    ("1.2", True),
    ("1.2.beta", True),
    ("v1.2.beta", True),
    ("foo", True),
    ("1.2-5", True),
    ("v1.2-5", True),
    ("1.2-beta.5", True),
    ("v1.2-beta.5", True),
    ("\n1.2", True),
    ("\nv1.2", True),
    ("1.2.0-x.Y.0+metadata", False),
    ("v1.2.0-x.Y.0+metadata", True),
    ("1.2.0-x.Y.0+metadata-width-hypen", False),
    ("v1.2.0-x.Y.0+metadata-width-hypen", True),
    ("1.2.3-rc1-with-hypen", False),
    ("1.2.3-0abc123", False),
    ("1.2.3-beta.01", True),
    ("v1.2.3-rc1-with-hypen", True),
    ("1.2.3.4", True),
    ("v1.2.3.4", True),
    ("1.2.2147483648", False),
    ("1.2147483648.3", False),
    ("2147483648.3.0", False),
    ("20221209-update-renovatejson-v4", True),
    ("1.1.2+.123", True),
    ("1.0.0-alpha_beta", True),
    ("1.0.0-alpha..", True),
    ("1.0.0-alpha..1", True),
    ("01.1.1", True),
    ("1.01.1", True),
    ("1.1.01", True),
    ("9.8.7+meta+meta", True),
    ("1.2.31----RC-SNAPSHOT.12.09.1--.12+788", True),
    ("1.2.3-0123", True),
    ("1.2.3-0123.0123", True),
    ("+invalid", True),
    ("-invalid", True),
    ("-invalid.01", True),
    ("alpha+beta", True),
    ("1.2.3-alpha_beta+foo", True),
    ("1.0.0-alpha..1", True),
]
# version_test.go TestNewVersion ("With loose NewVersion")
NEW_VERSION = [
    ("1.2.3", False),
    ("1.2.3-alpha.01", True),
    ("1.2.3+test.01", False),
    ("1.2.3-alpha.-1", False),
    ("v1.2.3", False),
    ("1.0", False),
    ("v1.0", False),
    ("1", False),
    ("v1", False),
    ("1.2.beta", True),
    ("v1.2.beta", True),
    ("foo", True),
    ("1.2-5", False),
    ("v1.2-5", False),
    ("1.2-beta.5", False),
    ("v1.2-beta.5", False),
    ("\n1.2", True),
    ("\nv1.2", True),
    ("1.2.0-x.Y.0+metadata", False),
    ("v1.2.0-x.Y.0+metadata", False),
    ("1.2.0-x.Y.0+metadata-width-hypen", False),
    ("v1.2.0-x.Y.0+metadata-width-hypen", False),
    ("1.2.3-rc1-with-hypen", False),
    ("v1.2.3-rc1-with-hypen", False),
    ("1.2.3-0abc123", False),
    ("1.2.3-beta.01", True),
    ("1.2.3.4", True),
    ("v1.2.3.4", True),
    ("1.2.2147483648", False),
    ("1.2147483648.3", False),
    ("2147483648.3.0", False),
    ("12.3.4.1234", True),
    ("12.23.4.1234", True),
    ("12.3.34.1234", True),
    ("20221209-update-renovatejson-v4", False),
    ("1.1.2+.123", True),
    ("1.0.0-alpha_beta", True),
    ("1.0.0-alpha..", True),
    ("1.0.0-alpha..1", True),
    ("9.8.7+meta+meta", True),
    ("1.2.31----RC-SNAPSHOT.12.09.1--.12+788", True),
    ("01.1.1", False),
    ("1.01.1", False),
    ("1.1.01", False),
]
# version_test.go TestCoerceString
COERCE_STRING = [
    ("1.2.3", "1.2.3"),
    ("v1.2.3", "1.2.3"),
    ("1.0", "1.0.0"),
    ("v1.0", "1.0.0"),
    ("1", "1.0.0"),
    ("v1", "1.0.0"),
    ("1.2-5", "1.2.0-5"),
    ("v1.2-5", "1.2.0-5"),
    ("1.2-beta.5", "1.2.0-beta.5"),
    ("v1.2-beta.5", "1.2.0-beta.5"),
    ("1.2.0-x.Y.0+metadata", "1.2.0-x.Y.0+metadata"),
    ("v1.2.0-x.Y.0+metadata", "1.2.0-x.Y.0+metadata"),
    ("1.2.0-x.Y.0+metadata-width-hypen", "1.2.0-x.Y.0+metadata-width-hypen"),
    ("v1.2.0-x.Y.0+metadata-width-hypen", "1.2.0-x.Y.0+metadata-width-hypen"),
    ("1.2.3-rc1-with-hypen", "1.2.3-rc1-with-hypen"),
    ("v1.2.3-rc1-with-hypen", "1.2.3-rc1-with-hypen"),
]
# version_test.go TestCompare
COMPARE = [
    ("1.2.3", "1.5.1", -1),
    ("2.2.3", "1.5.1", 1),
    ("2.2.3", "2.2.2", 1),
    ("3.2-beta", "3.2-beta", 0),
    ("1.3", "1.1.4", 1),
    ("4.2", "4.2-beta", 1),
    ("4.2-beta", "4.2", -1),
    ("4.2-alpha", "4.2-beta", -1),
    ("4.2-alpha", "4.2-alpha", 0),
    ("4.2-beta.2", "4.2-beta.1", 1),
    ("4.2-beta2", "4.2-beta1", 1),
    ("4.2-beta", "4.2-beta.2", -1),
    ("4.2-beta", "4.2-beta.foo", -1),
    ("4.2-beta.2", "4.2-beta", 1),
    ("4.2-beta.foo", "4.2-beta", 1),
    ("1.2+bar", "1.2+baz", 0),
    ("1.0.0-beta.4", "1.0.0-beta.-2", -1),
    ("1.0.0-beta.-2", "1.0.0-beta.-3", -1),
    ("1.0.0-beta.-3", "1.0.0-beta.5", 1),
]
# version_test.go TestLessThan
LESS_THAN = [
    ("1.2.3", "1.5.1", True),
    ("2.2.3", "1.5.1", False),
    ("3.2-beta", "3.2-beta", False),
]
# version_test.go TestLessThanEqual
LESS_THAN_EQUAL = [
    ("1.2.3", "1.5.1", True),
    ("2.2.3", "1.5.1", False),
    ("1.5.1", "1.5.1", True),
]
# version_test.go TestGreaterThan
GREATER_THAN = [
    ("1.2.3", "1.5.1", False),
    ("2.2.3", "1.5.1", True),
    ("3.2-beta", "3.2-beta", False),
    ("3.2.0-beta.1", "3.2.0-beta.5", False),
    ("3.2-beta.4", "3.2-beta.2", True),
    ("7.43.0-SNAPSHOT.99", "7.43.0-SNAPSHOT.103", False),
    ("7.43.0-SNAPSHOT.FOO", "7.43.0-SNAPSHOT.103", True),
    ("7.43.0-SNAPSHOT.99", "7.43.0-SNAPSHOT.BAR", False),
]
# version_test.go TestGreaterThanEqual
GREATER_THAN_EQUAL = [
    ("1.2.3", "1.5.1", False),
    ("2.2.3", "1.5.1", True),
    ("1.5.1", "1.5.1", True),
]
# version_test.go TestValidatePrerelease
VALIDATE_PRERELEASE = [
    ("foo", None),
    ("alpha.1", None),
    ("alpha.01", "ErrSegmentStartsZero"),
    ("foo☃︎", "ErrInvalidPrerelease"),
    ("alpha.0-1", None),
]
# version_test.go TestValidateMetadata
VALIDATE_METADATA = [
    ("foo", None),
    ("alpha.1", None),
    ("alpha.01", None),
    ("foo☃︎", "ErrInvalidMetadata"),
    ("alpha.0-1", None),
    ("al-pha.1Phe70CgWe050H9K1mJwRUqTNQXZRERwLOEg37wpXUb4JgzgaD5YkL52ABnoyiE", None),
]
# constraints_test.go TestParseConstraint
PARSE_CONSTRAINT = [
    (">= 1.2", "constraintGreaterThanEqual", "1.2.0", False),
    ("1.0", "constraintTildeOrEqual", "1.0.0", False),
    ("foo", None, "", True),
    ("<= 1.2", "constraintLessThanEqual", "1.2.0", False),
    ("=< 1.2", "constraintLessThanEqual", "1.2.0", False),
    ("=> 1.2", "constraintGreaterThanEqual", "1.2.0", False),
    ("v1.2", "constraintTildeOrEqual", "1.2.0", False),
    ("=1.5", "constraintTildeOrEqual", "1.5.0", False),
    ("> 1.3", "constraintGreaterThan", "1.3.0", False),
    ("< 1.4.1", "constraintLessThan", "1.4.1", False),
    ("< 40.50.10", "constraintLessThan", "40.50.10", False),
]
# constraints_test.go TestConstraintCheck
CONSTRAINT_CHECK = [
    ("=2.0.0", "1.2.3", False),
    ("=2.0.0", "2.0.0", True),
    ("=2.0", "1.2.3", False),
    ("=2.0", "2.0.0", True),
    ("=2.0", "2.0.1", True),
    ("4.1", "4.1.0", True),
    ("!=4.1.0", "4.1.0", False),
    ("!=4.1.0", "4.1.1", True),
    ("!=4.1", "4.1.0", False),
    ("!=4.1", "4.1.1", False),
    ("!=4.1", "5.1.0-alpha.1", False),
    ("!=4.1.0", "5.1.0-alpha.1", False),
    ("!=4.1-alpha", "4.1.0", True),
    ("!=4.1", "5.1.0", True),
    ("<11", "0.1.0", True),
    ("<11", "11.1.0", False),
    ("<1.1", "0.1.0", True),
    ("<1.1", "1.1.0", False),
    ("<1.1", "1.1.1", False),
    ("<=11", "1.2.3", True),
    ("<=11", "12.2.3", False),
    ("<=11", "11.2.3", True),
    ("<=1.1", "1.2.3", False),
    ("<=1.1", "0.1.0", True),
    ("<=1.1", "1.1.0", True),
    ("<=1.1", "1.1.1", True),
    (">1.1", "4.1.0", True),
    (">1.1", "1.1.0", False),
    (">0", "0", False),
    (">0", "1", True),
    (">0", "0.0.1-alpha", False),
    (">0.0", "0.0.1-alpha", False),
    (">0-0", "0.0.1-alpha", False),
    (">0.0-0", "0.0.1-alpha", False),
    (">0", "0.0.0-alpha", False),
    (">0-0", "0.0.0-alpha", False),
    (">0.0.0-0", "0.0.0-alpha", True),
    (">1.2.3-alpha.1", "1.2.3-alpha.2", True),
    (">1.2.3-alpha.1", "1.3.3-alpha.2", True),
    (">11", "11.1.0", False),
    (">11.1", "11.1.0", False),
    (">11.1", "11.1.1", False),
    (">11.1", "11.2.1", True),
    (">=11", "11.1.2", True),
    (">=11.1", "11.1.2", True),
    (">=11.1", "11.0.2", False),
    (">=1.1", "4.1.0", True),
    (">=1.1", "1.1.0", True),
    (">=1.1", "0.0.9", False),
    (">=0", "0.0.1-alpha", False),
    (">=0.0", "0.0.1-alpha", False),
    (">=0-0", "0.0.1-alpha", True),
    (">=0.0-0", "0.0.1-alpha", True),
    (">=0", "0.0.0-alpha", False),
    (">=0-0", "0.0.0-alpha", True),
    (">=0.0.0-0", "0.0.0-alpha", True),
    (">=0.0.0-0", "1.2.3", True),
    (">=0.0.0-0", "3.4.5-beta.1", True),
    ("<0", "0.0.0-alpha", False),
    ("<0-z", "0.0.0-alpha", True),
    (">=0", "0", True),
    ("=0", "1", False),
    ("*", "1", True),
    ("*", "4.5.6", True),
    ("*", "1.2.3-alpha.1", False),
    ("*-0", "1.2.3-alpha.1", True),
    ("2.*", "1", False),
    ("2.*", "3.4.5", False),
    ("2.*", "2.1.1", True),
    ("2.1.*", "2.1.1", True),
    ("2.1.*", "2.2.1", False),
    ("", "1", True),
    ("", "4.5.6", True),
    ("", "1.2.3-alpha.1", False),
    ("2", "1", False),
    ("2", "3.4.5", False),
    ("2", "2.1.1", True),
    ("2.1", "2.1.1", True),
    ("2.1", "2.2.1", False),
    ("~1.2.3", "1.2.4", True),
    ("~1.2.3", "1.3.4", False),
    ("~1.2", "1.2.4", True),
    ("~1.2", "1.3.4", False),
    ("~1", "1.2.4", True),
    ("~1", "2.3.4", False),
    ("~0.2.3", "0.2.5", True),
    ("~0.2.3", "0.3.5", False),
    ("~1.2.3-beta.2", "1.2.3-beta.4", True),
    ("~1.2.3-beta.2", "1.2.4-beta.2", True),
    ("~1.2.3-beta.2", "1.3.4-beta.2", False),
    ("^1.2.3", "1.8.9", True),
    ("^1.2.3", "2.8.9", False),
    ("^1.2.3", "1.2.1", False),
    ("^1.1.0", "2.1.0", False),
    ("^1.2.0", "2.2.1", False),
    ("^1.2.0", "1.2.1-alpha.1", False),
    ("^1.2.0-alpha.0", "1.2.1-alpha.1", True),
    ("^1.2.0-alpha.0", "1.2.1-alpha.0", True),
    ("^1.2.0-alpha.2", "1.2.0-alpha.1", False),
    ("^1.2", "1.8.9", True),
    ("^1.2", "2.8.9", False),
    ("^1", "1.8.9", True),
    ("^1", "2.8.9", False),
    ("^0.2.3", "0.2.5", True),
    ("^0.2.3", "0.5.6", False),
    ("^0.2", "0.2.5", True),
    ("^0.2", "0.5.6", False),
    ("^0.0.3", "0.0.3", True),
    ("^0.0.3", "0.0.4", False),
    ("^0.0", "0.0.3", True),
    ("^0.0", "0.1.4", False),
    ("^0.0", "1.0.4", False),
    ("^0", "0.2.3", True),
    ("^0", "1.1.4", False),
    ("^0.2.3-beta.2", "0.2.3-beta.4", True),
    ("^0.2.3-beta.2", "0.2.4-beta.2", True),
    ("^0.2.3-beta.2", "0.3.4-beta.2", False),
    ("^0.2.3-beta.2", "0.2.3-beta.2", True),
]
# constraints_test.go TestNewConstraint
NEW_CONSTRAINT = [
    (">= 1.1", 1, 1, False),
    (">40.50.60, < 50.70", 1, 2, False),
    ("2.0", 1, 1, False),
    ("v2.3.5-20161202202307-sha.e8fc5e5", 1, 1, False),
    ("v1.2.3-0abc", 1, 1, False),
    ("v1.2.3-beta.01", 1, 1, True),
    (">= bar", 0, 0, True),
    ("BAR >= 1.2.3", 0, 0, True),
    (">= 1.2.3 < 2.0", 1, 2, False),
    (">= 1.2.3 < 2.0 || => 3.0 < 4", 2, 2, False),
    (">= 1.2.3, < 2.0", 1, 2, False),
    (">= 1.2.3, < 2.0 || => 3.0, < 4", 2, 2, False),
    ("3 - 4 || => 3.0, < 4", 2, 2, False),
    ("12.3.4.1234", 0, 0, True),
    ("12.23.4.1234", 0, 0, True),
    ("12.3.34.1234", 0, 0, True),
    ("12.3.34 ~1.2.3", 1, 2, False),
    ("12.3.34~ 1.2.3", 0, 0, True),
    ("1.0.0 - 2.0.0, <=2.0.0", 1, 3, False),
]
# constraints_test.go TestConstraintsCheck
CONSTRAINTS_CHECK = [
    ("*", "1.2.3", True),
    ("~0.0.0", "1.2.3", True),
    ("0.x.x", "1.2.3", False),
    ("0.0.x", "1.2.3", False),
    ("0.0.0", "1.2.3", False),
    ("*", "1.2.3", True),
    ("^0.0.0", "1.2.3", False),
    ("= 2.0", "1.2.3", False),
    ("= 2.0", "2.0.0", True),
    ("4.1", "4.1.0", True),
    ("4.1.x", "4.1.3", True),
    ("1.x", "1.4", True),
    ("!=4.1", "4.1.0", False),
    ("!=4.1-alpha", "4.1.0-alpha", False),
    ("!=4.1-alpha", "4.1.1-alpha", False),
    ("!=4.1-alpha", "4.1.0", True),
    ("!=4.1", "5.1.0", True),
    ("!=4.x", "5.1.0", True),
    ("!=4.x", "4.1.0", False),
    ("!=4.1.x", "4.2.0", True),
    ("!=4.2.x", "4.2.3", False),
    (">1.1", "4.1.0", True),
    (">1.1", "1.1.0", False),
    ("<1.1", "0.1.0", True),
    ("<1.1", "1.1.0", False),
    ("<1.1", "1.1.1", False),
    ("<1.x", "1.1.1", False),
    ("<1.x", "0.1.1", True),
    ("<1.x", "2.0.0", False),
    ("<1.1.x", "1.2.1", False),
    ("<1.1.x", "1.1.500", False),
    ("<1.1.x", "1.0.500", True),
    ("<1.2.x", "1.1.1", True),
    (">=1.1", "4.1.0", True),
    (">=1.1", "4.1.0-beta", False),
    (">=1.1", "1.1.0", True),
    (">=1.1", "0.0.9", False),
    ("<=1.1", "0.1.0", True),
    ("<=1.1", "0.1.0-alpha", False),
    ("<=1.1-a", "0.1.0-alpha", True),
    ("<=1.1", "1.1.0", True),
    ("<=1.x", "1.1.0", True),
    ("<=2.x", "3.0.0", False),
    ("<=1.1", "1.1.1", True),
    ("<=1.1.x", "1.2.500", False),
    ("<=4.5", "3.4.0", True),
    ("<=4.5", "3.7.0", True),
    ("<=4.5", "4.6.3", False),
    (">1.1, <2", "1.1.1", False),
    (">1.1, <2", "1.2.1", True),
    (">1.1, <3", "4.3.2", False),
    (">=1.1, <2, !=1.2.3", "1.2.3", False),
    (">1.1 <2", "1.1.1", False),
    (">1.1 <2", "1.2.1", True),
    (">1.1    <3", "4.3.2", False),
    (">=1.1    <2    !=1.2.3", "1.2.3", False),
    (">=1.1, <2, !=1.2.3 || > 3", "4.1.2", True),
    (">=1.1, <2, !=1.2.3 || > 3", "3.1.2", False),
    (">=1.1, <2, !=1.2.3 || >= 3", "3.0.0", True),
    (">=1.1, <2, !=1.2.3 || > 3", "3.0.0", False),
    (">=1.1, <2, !=1.2.3 || > 3", "1.2.3", False),
    (">=1.1 <2 !=1.2.3", "1.2.3", False),
    (">=1.1 <2 !=1.2.3 || > 3", "4.1.2", True),
    (">=1.1 <2 !=1.2.3 || > 3", "3.1.2", False),
    (">=1.1 <2 !=1.2.3 || >= 3", "3.0.0", True),
    (">=1.1 <2 !=1.2.3 || > 3", "3.0.0", False),
    (">=1.1 <2 !=1.2.3 || > 3", "1.2.3", False),
    ("> 1.1, <     2", "1.1.1", False),
    (">   1.1, <2", "1.2.1", True),
    (">1.1, <  3", "4.3.2", False),
    (">= 1.1, <     2, !=1.2.3", "1.2.3", False),
    ("> 1.1 < 2", "1.1.1", False),
    (">1.1 < 2", "1.2.1", True),
    ("> 1.1    <3", "4.3.2", False),
    (">=1.1    < 2    != 1.2.3", "1.2.3", False),
    (">= 1.1, <2, !=1.2.3 || > 3", "4.1.2", True),
    (">= 1.1, <2, != 1.2.3 || > 3", "3.1.2", False),
    (">= 1.1, <2, != 1.2.3 || >= 3", "3.0.0", True),
    (">= 1.1, <2, !=1.2.3 || > 3", "3.0.0", False),
    (">= 1.1, <2, !=1.2.3 || > 3", "1.2.3", False),
    (">= 1.1 <2 != 1.2.3", "1.2.3", False),
    (">= 1.1 <2 != 1.2.3 || > 3", "4.1.2", True),
    (">= 1.1 <2 != 1.2.3 || > 3", "3.1.2", False),
    (">= 1.1 <2 != 1.2.3 || >= 3", "3.0.0", True),
    (">= 1.1 < 2 !=1.2.3 || > 3", "3.0.0", False),
    (">=1.1 < 2 !=1.2.3 || > 3", "1.2.3", False),
    (">= 1.0.0  <= 2.0.0-beta", "1.0.1-beta", True),
    (">= 1.0.0  <= 2.0.0-beta", "1.0.1", True),
    (">= 1.0.0  <= 2.0.0-beta", "3.0.0", False),
    (">= 1.0.0  <= 2.0.0-beta || > 3", "1.0.1-beta", True),
    (">= 1.0.0  <= 2.0.0-beta || > 3", "3.0.1-beta", False),
    (">= 1.0.0  <= 2.0.0-beta != 1.0.1 || > 3", "1.0.1-beta", True),
    (">= 1.0.0  <= 2.0.0-beta != 1.0.1-beta || > 3", "1.0.1-beta", False),
    (">= 1.0.0-0  <= 2.0.0", "1.0.1-beta", True),
    ("1.1 - 2", "1.1.1", True),
    ("1.5.0 - 4.5", "3.7.0", True),
    ("1.1-3", "4.3.2", False),
    ("^1.1", "1.1.1", True),
    ("^1.1", "4.3.2", False),
    ("^1.x", "1.1.1", True),
    ("^2.x", "1.1.1", False),
    ("^1.x", "2.1.1", False),
    ("^1.x", "1.1.1-beta1", False),
    ("^1.1.2-alpha", "1.2.1-beta1", True),
    ("^1.2.x-alpha", "1.1.1-beta1", False),
    ("^0.0.1", "0.0.1", True),
    ("^0.0.1", "0.3.1", False),
    ("~*", "2.1.1", True),
    ("~1", "2.1.1", False),
    ("~1", "1.3.5", True),
    ("~1", "1.4", True),
    ("~1.x", "2.1.1", False),
    ("~1.x", "1.3.5", True),
    ("~1.x", "1.4", True),
    ("~1.1", "1.1.1", True),
    ("~1.1", "1.1.1-alpha", False),
    ("~1.1-alpha", "1.1.1-beta", True),
    ("~1.1.1-beta", "1.1.1-alpha", False),
    ("~1.1.1-beta", "1.1.1", True),
    ("~1.2.3", "1.2.5", True),
    ("~1.2.3", "1.2.2", False),
    ("~1.2.3", "1.3.2", False),
    ("~1.1", "1.2.3", False),
    ("~1.3", "2.4.5", False),
    ("1.0.0 - 2.0.0 <=2.0.0", "1.5.0", True),
    ("1.0.0 - 2.0.0, <=2.0.0", "1.5.0", True),
]
# constraints_test.go TestConstraintsCheckIncludePrerelease
CONSTRAINTS_CHECK_INCLUDE_PRERELEASE = [
    (">=1.1", "4.1.0-beta", True),
    (">1.1", "4.1.0-beta", True),
    ("<=1.1", "0.1.0-alpha", True),
    ("<1.1", "0.1.0-alpha", True),
    ("^1.x", "1.1.1-beta1", True),
    ("~1.1", "1.1.1-alpha", True),
    ("*", "1.2.3-alpha", True),
    ("= 2.0", "2.0.1-beta", True),
    ("*", "1.2.3", True),
    ("~0.0.0", "1.2.3", True),
    ("0.x.x", "1.2.3", False),
    ("0.0.x", "1.2.3", False),
    ("0.0.0", "1.2.3", False),
    ("*", "1.2.3", True),
    ("^0.0.0", "1.2.3", False),
    ("= 2.0", "1.2.3", False),
    ("= 2.0", "2.0.0", True),
    ("4.1", "4.1.0", True),
    ("4.1.x", "4.1.3", True),
    ("1.x", "1.4", True),
    ("!=4.1", "4.1.0", False),
    ("!=4.1-alpha", "4.1.0-alpha", False),
    ("!=4.1-alpha", "4.1.1-alpha", False),
    ("!=4.1-alpha", "4.1.0", True),
    ("!=4.1", "5.1.0", True),
    ("!=4.x", "5.1.0", True),
    ("!=4.x", "4.1.0", False),
    ("!=4.1.x", "4.2.0", True),
    ("!=4.2.x", "4.2.3", False),
    (">1.1", "4.1.0", True),
    (">1.1", "1.1.0", False),
    ("<1.1", "0.1.0", True),
    ("<1.1", "1.1.0", False),
    ("<1.1", "1.1.1", False),
    ("<1.x", "1.1.1", False),
    ("<1.x", "0.1.1", True),
    ("<1.x", "2.0.0", False),
    ("<1.1.x", "1.2.1", False),
    ("<1.1.x", "1.1.500", False),
    ("<1.1.x", "1.0.500", True),
    ("<1.2.x", "1.1.1", True),
    (">=1.1", "4.1.0", True),
    (">=1.1", "1.1.0", True),
    (">=1.1", "0.0.9", False),
    ("<=1.1", "0.1.0", True),
    ("<=1.1-a", "0.1.0-alpha", True),
    ("<=1.1", "1.1.0", True),
    ("<=1.x", "1.1.0", True),
    ("<=2.x", "3.0.0", False),
    ("<=1.1", "1.1.1", True),
    ("<=1.1.x", "1.2.500", False),
    ("<=4.5", "3.4.0", True),
    ("<=4.5", "3.7.0", True),
    ("<=4.5", "4.6.3", False),
    (">1.1, <2", "1.1.1", False),
    (">1.1, <2", "1.2.1", True),
    (">1.1, <3", "4.3.2", False),
    (">=1.1, <2, !=1.2.3", "1.2.3", False),
    (">1.1 <2", "1.1.1", False),
    (">1.1 <2", "1.2.1", True),
    (">1.1    <3", "4.3.2", False),
    (">=1.1    <2    !=1.2.3", "1.2.3", False),
    (">=1.1, <2, !=1.2.3 || > 3", "4.1.2", True),
    (">=1.1, <2, !=1.2.3 || > 3", "3.1.2", False),
    (">=1.1, <2, !=1.2.3 || >= 3", "3.0.0", True),
    (">=1.1, <2, !=1.2.3 || > 3", "3.0.0", False),
    (">=1.1, <2, !=1.2.3 || > 3", "1.2.3", False),
    (">=1.1 <2 !=1.2.3", "1.2.3", False),
    (">=1.1 <2 !=1.2.3 || > 3", "4.1.2", True),
    (">=1.1 <2 !=1.2.3 || > 3", "3.1.2", False),
    (">=1.1 <2 !=1.2.3 || >= 3", "3.0.0", True),
    (">=1.1 <2 !=1.2.3 || > 3", "3.0.0", False),
    (">=1.1 <2 !=1.2.3 || > 3", "1.2.3", False),
    ("> 1.1, <     2", "1.1.1", False),
    (">   1.1, <2", "1.2.1", True),
    (">1.1, <  3", "4.3.2", False),
    (">= 1.1, <     2, !=1.2.3", "1.2.3", False),
    ("> 1.1 < 2", "1.1.1", False),
    (">1.1 < 2", "1.2.1", True),
    ("> 1.1    <3", "4.3.2", False),
    (">=1.1    < 2    != 1.2.3", "1.2.3", False),
    (">= 1.1, <2, !=1.2.3 || > 3", "4.1.2", True),
    (">= 1.1, <2, != 1.2.3 || > 3", "3.1.2", False),
    (">= 1.1, <2, != 1.2.3 || >= 3", "3.0.0", True),
    (">= 1.1, <2, !=1.2.3 || > 3", "3.0.0", False),
    (">= 1.1, <2, !=1.2.3 || > 3", "1.2.3", False),
    (">= 1.1 <2 != 1.2.3", "1.2.3", False),
    (">= 1.1 <2 != 1.2.3 || > 3", "4.1.2", True),
    (">= 1.1 <2 != 1.2.3 || > 3", "3.1.2", False),
    (">= 1.1 <2 != 1.2.3 || >= 3", "3.0.0", True),
    (">= 1.1 < 2 !=1.2.3 || > 3", "3.0.0", False),
    (">=1.1 < 2 !=1.2.3 || > 3", "1.2.3", False),
    (">= 1.0.0  <= 2.0.0-beta", "1.0.1-beta", True),
    (">= 1.0.0  <= 2.0.0-beta", "1.0.1", True),
    (">= 1.0.0  <= 2.0.0-beta", "3.0.0", False),
    (">= 1.0.0  <= 2.0.0-beta || > 3", "1.0.1-beta", True),
    (">= 1.0.0  <= 2.0.0-beta || > 3", "3.0.1-beta", False),
    (">= 1.0.0  <= 2.0.0-beta != 1.0.1 || > 3", "1.0.1-beta", True),
    (">= 1.0.0  <= 2.0.0-beta != 1.0.1-beta || > 3", "1.0.1-beta", False),
    (">= 1.0.0-0  <= 2.0.0", "1.0.1-beta", True),
    ("1.1 - 2", "1.1.1", True),
    ("1.5.0 - 4.5", "3.7.0", True),
    ("1.1-3", "4.3.2", False),
    ("^1.1", "1.1.1", True),
    ("^1.1", "4.3.2", False),
    ("^1.x", "1.1.1", True),
    ("^2.x", "1.1.1", False),
    ("^1.x", "2.1.1", False),
    ("^1.1.2-alpha", "1.2.1-beta1", True),
    ("^1.2.x-alpha", "1.1.1-beta1", False),
    ("^0.0.1", "0.0.1", True),
    ("^0.0.1", "0.3.1", False),
    ("~*", "2.1.1", True),
    ("~1", "2.1.1", False),
    ("~1", "1.3.5", True),
    ("~1", "1.4", True),
    ("~1.x", "2.1.1", False),
    ("~1.x", "1.3.5", True),
    ("~1.x", "1.4", True),
    ("~1.1", "1.1.1", True),
    ("~1.1-alpha", "1.1.1-beta", True),
    ("~1.1.1-beta", "1.1.1-alpha", False),
    ("~1.1.1-beta", "1.1.1", True),
    ("~1.2.3", "1.2.5", True),
    ("~1.2.3", "1.2.2", False),
    ("~1.2.3", "1.3.2", False),
    ("~1.1", "1.2.3", False),
    ("~1.3", "2.4.5", False),
    ("1.0.0 - 2.0.0 <=2.0.0", "1.5.0", True),
    ("1.0.0 - 2.0.0, <=2.0.0", "1.5.0", True),
]
# constraints_test.go TestRewriteRange
REWRITE_RANGE = [
    ("2 - 3", ">= 2, <= 3 "),
    ("2 - 3, 2 - 3", ">= 2, <= 3 ,>= 2, <= 3 "),
    ("2 - 3, 4.0.0 - 5.1", ">= 2, <= 3 ,>= 4.0.0, <= 5.1 "),
    ("2 - 3 4.0.0 - 5.1", ">= 2, <= 3 >= 4.0.0, <= 5.1 "),
    ("1.0.0 - 2.0.0 <=2.0.0", ">= 1.0.0, <= 2.0.0 <=2.0.0"),
]
# constraints_test.go TestConstraintsValidate
CONSTRAINTS_VALIDATE = [
    ("*", "1.2.3", True),
    ("~0.0.0", "1.2.3", True),
    ("= 2.0", "1.2.3", False),
    ("= 2.0", "2.0.0", True),
    ("4.1", "4.1.0", True),
    ("4.1.x", "4.1.3", True),
    ("1.x", "1.4", True),
    ("!=4.1", "4.1.0", False),
    ("!=4.1", "5.1.0", True),
    ("!=4.x", "5.1.0", True),
    ("!=4.x", "4.1.0", False),
    ("!=4.1.x", "4.2.0", True),
    ("!=4.2.x", "4.2.3", False),
    (">1.1", "4.1.0", True),
    (">1.1", "1.1.0", False),
    ("<1.1", "0.1.0", True),
    ("<1.1", "1.1.0", False),
    ("<1.1", "1.1.1", False),
    ("<1.x", "1.1.1", False),
    ("<2.x", "1.1.1", True),
    ("<1.x", "2.1.1", False),
    ("<1.1.x", "1.2.1", False),
    ("<1.1.x", "1.1.500", False),
    ("<1.2.x", "1.1.1", True),
    (">=1.1", "4.1.0", True),
    (">=1.1", "1.1.0", True),
    (">=1.1", "0.0.9", False),
    ("<=1.1", "0.1.0", True),
    ("<=1.1", "1.1.0", True),
    ("<=1.x", "1.1.0", True),
    ("<=2.x", "3.1.0", False),
    ("<=1.1", "1.1.1", True),
    ("<=1.1.x", "1.2.500", False),
    (">1.1, <2", "1.1.1", False),
    (">1.1, <2", "1.2.1", True),
    (">1.1, <3", "4.3.2", False),
    (">=1.1, <2, !=1.2.3", "1.2.3", False),
    (">=1.1, <2, !=1.2.3 || > 3", "3.1.2", False),
    (">=1.1, <2, !=1.2.3 || > 3", "4.1.2", True),
    (">=1.1, <2, !=1.2.3 || >= 3", "3.0.0", True),
    (">=1.1, <2, !=1.2.3 || > 3", "3.0.0", False),
    (">=1.1, <2, !=1.2.3 || > 3", "1.2.3", False),
    ("1.1 - 2", "1.1.1", True),
    ("1.1-3", "4.3.2", False),
    ("^1.1", "1.1.1", True),
    ("^1.1", "1.1.1-alpha", False),
    ("^1.1.1-alpha", "1.1.1-beta", True),
    ("^1.1.1-beta", "1.1.1-alpha", False),
    ("^1.1", "4.3.2", False),
    ("^1.x", "1.1.1", True),
    ("^2.x", "1.1.1", False),
    ("^1.x", "2.1.1", False),
    ("^0.0.1", "0.1.3", False),
    ("^0.0.1", "0.0.1", True),
    ("~*", "2.1.1", True),
    ("~1", "2.1.1", False),
    ("~1", "1.3.5", True),
    ("~1", "1.3.5-beta", False),
    ("~1.x", "2.1.1", False),
    ("~1.x", "1.3.5", True),
    ("~1.x", "1.3.5-beta", False),
    ("~1.3.6-alpha", "1.3.5-beta", False),
    ("~1.3.5-alpha", "1.3.5-beta", True),
    ("~1.3.5-beta", "1.3.5-alpha", False),
    ("~1.x", "1.4", True),
    ("~1.1", "1.1.1", True),
    ("~1.2.3", "1.2.5", True),
    ("~1.2.3", "1.2.2", False),
    ("~1.2.3", "1.3.2", False),
    ("~1.1", "1.2.3", False),
    ("~1.3", "2.4.5", False),
]
# constraints_test.go TestConstraintsValidate (tests2)
CONSTRAINTS_VALIDATE_MESSAGES = [
    ("2.x", "1.2.3", '"1.2.3" is less than "2.x"'),
    ("2", "1.2.3", '"1.2.3" is less than "2"'),
    ("= 2.0", "1.2.3", '"1.2.3" is less than "2.0"'),
    ("!=4.1", "4.1.0", '"4.1.0" is equal to "4.1"'),
    ("!=4.x", "4.1.0", '"4.1.0" is equal to "4.x"'),
    ("!=4.2.x", "4.2.3", '"4.2.3" is equal to "4.2.x"'),
    (">1.1", "1.1.0", '"1.1.0" is less than or equal to "1.1"'),
    ("<1.1", "1.1.0", '"1.1.0" is greater than or equal to "1.1"'),
    ("<1.1", "1.1.1", '"1.1.1" is greater than or equal to "1.1"'),
    ("<1.x", "2.1.1", '"2.1.1" is greater than or equal to "1.x"'),
    ("<1.1.x", "1.2.1", '"1.2.1" is greater than or equal to "1.1.x"'),
    (">=1.1", "0.0.9", '"0.0.9" is less than "1.1"'),
    ("<=2.x", "3.1.0", '"3.1.0" is greater than "2.x"'),
    ("<=1.1", "1.2.1", '"1.2.1" is greater than "1.1"'),
    ("<=1.1.x", "1.2.500", '"1.2.500" is greater than "1.1.x"'),
    (">1.1, <3", "4.3.2", '"4.3.2" is greater than or equal to "3"'),
    (">=1.1, <2, !=1.2.3", "1.2.3", '"1.2.3" is equal to "1.2.3"'),
    (">=1.1, <2, !=1.2.3 || > 3", "3.0.0", '"3.0.0" is greater than or equal to "2"'),
    (">=1.1, <2, !=1.2.3 || > 3", "1.2.3", '"1.2.3" is equal to "1.2.3"'),
    ("1.1 - 3", "4.3.2", '"4.3.2" is greater than "3"'),
    ("^1.1", "4.3.2", '"4.3.2" does not have same major version as "1.1"'),
    ("^1.12.7", "1.6.6", '"1.6.6" is less than "1.12.7"'),
    ("^2.x", "1.1.1", '"1.1.1" is less than "2.x"'),
    ("^1.x", "2.1.1", '"2.1.1" does not have same major version as "1.x"'),
    (
        "^0.2",
        "0.3.0",
        '"0.3.0" does not have same minor version as "0.2"'
        ". Expected minor versions to match when constraint major version is 0",
    ),
    ("^0.2", "0.1.1", '"0.1.1" is less than "0.2"'),
    ("^0.0.3", "0.1.1", '"0.1.1" does not have same minor version as "0.0.3"'),
    (
        "^0.0.3",
        "0.0.4",
        '"0.0.4" does not equal "0.0.3"'
        ". Expect version and constraint to equal when major and minor versions are 0",
    ),
    ("^0.0.3", "0.0.2", '"0.0.2" is less than "0.0.3"'),
    ("~1", "2.1.2", '"2.1.2" does not have same major version as "1"'),
    ("~1.x", "2.1.1", '"2.1.1" does not have same major version as "1.x"'),
    ("~1.2.3", "1.2.2", '"1.2.2" is less than "1.2.3"'),
    ("~1.2.3", "1.3.2", '"1.3.2" does not have same major and minor version as "1.2.3"'),
    ("~1.1", "1.2.3", '"1.2.3" does not have same major and minor version as "1.1"'),
    ("~1.3", "2.4.5", '"2.4.5" does not have same major version as "1.3"'),
    (
        "> 1.2.3",
        "1.2.3-beta.1",
        '"1.2.3-beta.1" is a prerelease version'
        " and the constraint is only looking for release versions",
    ),
]
# constraints_test.go TestConstraintsValidateIncludePrerelease
CONSTRAINTS_VALIDATE_INCLUDE_PRERELEASE = [
    ("^1.1", "1.1.1-alpha", True),
    ("~1", "1.3.5-beta", True),
    ("~1.x", "1.3.5-beta", True),
    (">=1.1", "4.1.0-beta", True),
    (">1.1", "4.1.0-beta", True),
    ("<=1.1", "0.1.0-alpha", True),
    ("<1.1", "0.1.0-alpha", True),
    ("^1.x", "1.1.1-beta1", True),
    ("~1.1", "1.1.1-alpha", True),
    ("*", "1.2.3-alpha", True),
    ("= 2.0", "2.0.1-beta", True),
    ("*", "1.2.3", True),
    ("~0.0.0", "1.2.3", True),
    ("= 2.0", "1.2.3", False),
    ("= 2.0", "2.0.0", True),
    ("4.1", "4.1.0", True),
    ("4.1.x", "4.1.3", True),
    ("1.x", "1.4", True),
    ("!=4.1", "4.1.0", False),
    ("!=4.1", "5.1.0", True),
    ("!=4.x", "5.1.0", True),
    ("!=4.x", "4.1.0", False),
    ("!=4.1.x", "4.2.0", True),
    ("!=4.2.x", "4.2.3", False),
    (">1.1", "4.1.0", True),
    (">1.1", "1.1.0", False),
    ("<1.1", "0.1.0", True),
    ("<1.1", "1.1.0", False),
    ("<1.1", "1.1.1", False),
    ("<1.x", "1.1.1", False),
    ("<2.x", "1.1.1", True),
    ("<1.x", "2.1.1", False),
    ("<1.1.x", "1.2.1", False),
    ("<1.1.x", "1.1.500", False),
    ("<1.2.x", "1.1.1", True),
    (">=1.1", "4.1.0", True),
    (">=1.1", "1.1.0", True),
    (">=1.1", "0.0.9", False),
    ("<=1.1", "0.1.0", True),
    ("<=1.1", "1.1.0", True),
    ("<=1.x", "1.1.0", True),
    ("<=2.x", "3.1.0", False),
    ("<=1.1", "1.1.1", True),
    ("<=1.1.x", "1.2.500", False),
    (">1.1, <2", "1.1.1", False),
    (">1.1, <2", "1.2.1", True),
    (">1.1, <3", "4.3.2", False),
    (">=1.1, <2, !=1.2.3", "1.2.3", False),
    (">=1.1, <2, !=1.2.3 || > 3", "3.1.2", False),
    (">=1.1, <2, !=1.2.3 || > 3", "4.1.2", True),
    (">=1.1, <2, !=1.2.3 || >= 3", "3.0.0", True),
    (">=1.1, <2, !=1.2.3 || > 3", "3.0.0", False),
    (">=1.1, <2, !=1.2.3 || > 3", "1.2.3", False),
    ("1.1 - 2", "1.1.1", True),
    ("1.1-3", "4.3.2", False),
    ("^1.1", "1.1.1", True),
    ("^1.1.1-alpha", "1.1.1-beta", True),
    ("^1.1.1-beta", "1.1.1-alpha", False),
    ("^1.1", "4.3.2", False),
    ("^1.x", "1.1.1", True),
    ("^2.x", "1.1.1", False),
    ("^1.x", "2.1.1", False),
    ("^0.0.1", "0.1.3", False),
    ("^0.0.1", "0.0.1", True),
    ("~*", "2.1.1", True),
    ("~1", "2.1.1", False),
    ("~1", "1.3.5", True),
    ("~1.x", "2.1.1", False),
    ("~1.x", "1.3.5", True),
    ("~1.3.6-alpha", "1.3.5-beta", False),
    ("~1.3.5-alpha", "1.3.5-beta", True),
    ("~1.3.5-beta", "1.3.5-alpha", False),
    ("~1.x", "1.4", True),
    ("~1.1", "1.1.1", True),
    ("~1.2.3", "1.2.5", True),
    ("~1.2.3", "1.2.2", False),
    ("~1.2.3", "1.3.2", False),
    ("~1.1", "1.2.3", False),
    ("~1.3", "2.4.5", False),
]
# constraints_test.go TestConstraintsValidateIncludePrerelease (tests2)
CONSTRAINTS_VALIDATE_INCLUDE_PRERELEASE_MESSAGES = [
    ("> 1.2.3", "1.2.3-beta.1", '"1.2.3-beta.1" is less than or equal to "1.2.3"'),
    ("< 1.2.3", "1.2.4-beta.1", '"1.2.4-beta.1" is greater than or equal to "1.2.3"'),
    (">= 1.2.3", "1.2.3-beta.1", '"1.2.3-beta.1" is less than "1.2.3"'),
    ("<= 1.2.3", "1.2.4-beta.1", '"1.2.4-beta.1" is greater than "1.2.3"'),
    ("2.x", "1.2.3", '"1.2.3" is less than "2.x"'),
    ("2", "1.2.3", '"1.2.3" is less than "2"'),
    ("= 2.0", "1.2.3", '"1.2.3" is less than "2.0"'),
    ("!=4.1", "4.1.0", '"4.1.0" is equal to "4.1"'),
    ("!=4.x", "4.1.0", '"4.1.0" is equal to "4.x"'),
    ("!=4.2.x", "4.2.3", '"4.2.3" is equal to "4.2.x"'),
    (">1.1", "1.1.0", '"1.1.0" is less than or equal to "1.1"'),
    ("<1.1", "1.1.0", '"1.1.0" is greater than or equal to "1.1"'),
    ("<1.1", "1.1.1", '"1.1.1" is greater than or equal to "1.1"'),
    ("<1.x", "2.1.1", '"2.1.1" is greater than or equal to "1.x"'),
    ("<1.1.x", "1.2.1", '"1.2.1" is greater than or equal to "1.1.x"'),
    (">=1.1", "0.0.9", '"0.0.9" is less than "1.1"'),
    ("<=2.x", "3.1.0", '"3.1.0" is greater than "2.x"'),
    ("<=1.1", "1.2.1", '"1.2.1" is greater than "1.1"'),
    ("<=1.1.x", "1.2.500", '"1.2.500" is greater than "1.1.x"'),
    (">1.1, <3", "4.3.2", '"4.3.2" is greater than or equal to "3"'),
    (">=1.1, <2, !=1.2.3", "1.2.3", '"1.2.3" is equal to "1.2.3"'),
    (">=1.1, <2, !=1.2.3 || > 3", "3.0.0", '"3.0.0" is greater than or equal to "2"'),
    (">=1.1, <2, !=1.2.3 || > 3", "1.2.3", '"1.2.3" is equal to "1.2.3"'),
    ("1.1 - 3", "4.3.2", '"4.3.2" is greater than "3"'),
    ("^1.1", "4.3.2", '"4.3.2" does not have same major version as "1.1"'),
    ("^1.12.7", "1.6.6", '"1.6.6" is less than "1.12.7"'),
    ("^2.x", "1.1.1", '"1.1.1" is less than "2.x"'),
    ("^1.x", "2.1.1", '"2.1.1" does not have same major version as "1.x"'),
    (
        "^0.2",
        "0.3.0",
        '"0.3.0" does not have same minor version as "0.2"'
        ". Expected minor versions to match when constraint major version is 0",
    ),
    ("^0.2", "0.1.1", '"0.1.1" is less than "0.2"'),
    ("^0.0.3", "0.1.1", '"0.1.1" does not have same minor version as "0.0.3"'),
    (
        "^0.0.3",
        "0.0.4",
        '"0.0.4" does not equal "0.0.3"'
        ". Expect version and constraint to equal when major and minor versions are 0",
    ),
    ("^0.0.3", "0.0.2", '"0.0.2" is less than "0.0.3"'),
    ("~1", "2.1.2", '"2.1.2" does not have same major version as "1"'),
    ("~1.x", "2.1.1", '"2.1.1" does not have same major version as "1.x"'),
    ("~1.2.3", "1.2.2", '"1.2.2" is less than "1.2.3"'),
    ("~1.2.3", "1.3.2", '"1.3.2" does not have same major and minor version as "1.2.3"'),
    ("~1.1", "1.2.3", '"1.2.3" does not have same major and minor version as "1.1"'),
    ("~1.3", "2.4.5", '"2.4.5" does not have same major version as "1.3"'),
]
# constraints_test.go TestConstraintString
CONSTRAINT_STRING = [
    ("*", "*"),
    (">=1.2.3", ">=1.2.3"),
    (">= 1.2.3", ">=1.2.3"),
    ("2.x,   >=1.2.3 || >4.5.6, < 5.7", "2.x >=1.2.3 || >4.5.6 <5.7"),
    (
        "2.x,   >=1.2.3 || >4.5.6, < 5.7 || >40.50.60, < 50.70",
        "2.x >=1.2.3 || >4.5.6 <5.7 || >40.50.60 <50.70",
    ),
    ("1.2", "1.2"),
]
# constraints_test.go TestTextMarshalConstraints
TEXT_MARSHAL_CONSTRAINTS = [
    ("1.2.3", "1.2.3"),
    (">=1.2.3", ">=1.2.3"),
    ("<=1.2.3", "<=1.2.3"),
    ("1 <=1.2.3", "1 <=1.2.3"),
    ("1, <=1.2.3", "1 <=1.2.3"),
    (">1, <=1.2.3", ">1 <=1.2.3"),
    ("> 1 , <=1.2.3", ">1 <=1.2.3"),
]
# constraints_test.go TestTextUnmarshalConstraints
TEXT_UNMARSHAL_CONSTRAINTS = [
    ("1.2.3", "1.2.3"),
    (">=1.2.3", ">=1.2.3"),
    ("<=1.2.3", "<=1.2.3"),
    (">1 <=1.2.3", ">1 <=1.2.3"),
    ("> 1 <=1.2.3", ">1 <=1.2.3"),
    (">1, <=1.2.3", ">1 <=1.2.3"),
]

# version_test.go TestOriginal
ORIGINAL = [
    "1.2.3",
    "v1.2.3",
    "1.0",
    "v1.0",
    "1",
    "v1",
    "1.2-5",
    "v1.2-5",
    "1.2-beta.5",
    "v1.2-beta.5",
    "1.2.0-x.Y.0+metadata",
    "v1.2.0-x.Y.0+metadata",
    "1.2.0-x.Y.0+metadata-width-hypen",
    "v1.2.0-x.Y.0+metadata-width-hypen",
    "1.2.3-rc1-with-hypen",
    "v1.2.3-rc1-with-hypen",
]

# The Go error values of the tables, by the words pyocm uses for them.
GO_ERRORS = {
    "ErrSegmentStartsZero": "version segment starts with 0",
    "ErrInvalidPrerelease": "invalid prerelease string",
    "ErrInvalidMetadata": "invalid metadata string",
}

# The Go functions of TestParseConstraint, by the operators that select them.
GO_OPERATORS = {
    "constraintTildeOrEqual": {"", "="},
    "constraintGreaterThan": {">"},
    "constraintLessThan": {"<"},
    "constraintGreaterThanEqual": {">=", "=>"},
    "constraintLessThanEqual": {"<=", "=<"},
}


# --- versions ------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "is_error"), STRICT_NEW_VERSION)
def test_strict_parse_accepts_exactly_semver(text: str, is_error: bool) -> None:
    assert (Version.try_parse(text, strict=True) is None) == is_error


@pytest.mark.parametrize(("text", "is_error"), NEW_VERSION)
def test_lenient_parse_accepts_what_new_version_accepts(text: str, is_error: bool) -> None:
    assert (Version.try_parse(text) is None) == is_error


def test_parse_errors_name_the_text() -> None:
    with pytest.raises(OCMError, match=re.escape('invalid semantic version "1.2.beta"')):
        Version.parse("1.2.beta")


@pytest.mark.parametrize("text", ORIGINAL)
def test_original_keeps_the_parsed_text(text: str) -> None:
    assert Version.parse(text).original == text


def test_parts() -> None:  # version_test.go TestParts
    v = Version.parse("1.2.3-beta.1+build.123")
    assert (v.major, v.minor, v.patch) == (1, 2, 3)
    assert v.prerelease == "beta.1"
    assert v.metadata == "build.123"


def test_str_of_constructed_versions() -> None:  # version_test.go TestNew
    assert str(Version(0, 1, 2)) == "0.1.2"
    assert str(Version(1, 2, 3, "alpha.1", "foo.bar")) == "1.2.3-alpha.1+foo.bar"


@pytest.mark.parametrize(("text", "expected"), COERCE_STRING)
def test_str_is_the_canonical_form(text: str, expected: str) -> None:
    assert str(Version.parse(text)) == expected


@pytest.mark.parametrize(("a", "b", "expected"), COMPARE)
def test_compare(a: str, b: str, expected: int) -> None:
    assert Version.parse(a).compare(Version.parse(b)) == expected


@pytest.mark.parametrize(("a", "b", "expected"), LESS_THAN)
def test_less_than(a: str, b: str, expected: bool) -> None:
    assert (Version.parse(a) < Version.parse(b)) == expected


@pytest.mark.parametrize(("a", "b", "expected"), LESS_THAN_EQUAL)
def test_less_than_equal(a: str, b: str, expected: bool) -> None:
    assert (Version.parse(a) <= Version.parse(b)) == expected


@pytest.mark.parametrize(("a", "b", "expected"), GREATER_THAN)
def test_greater_than(a: str, b: str, expected: bool) -> None:
    assert (Version.parse(a) > Version.parse(b)) == expected


@pytest.mark.parametrize(("a", "b", "expected"), GREATER_THAN_EQUAL)
def test_greater_than_equal(a: str, b: str, expected: bool) -> None:
    assert (Version.parse(a) >= Version.parse(b)) == expected


def test_equal_ignores_build_metadata() -> None:  # version_test.go TestEqual
    assert Version.parse("1.2.3") != Version.parse("1.5.1")
    assert Version.parse("2.2.3") != Version.parse("1.5.1")
    assert Version.parse("3.2-beta") == Version.parse("3.2-beta")
    assert Version.parse("3.2-beta+foo") == Version.parse("3.2-beta+bar")
    assert hash(Version.parse("3.2-beta+foo")) == hash(Version.parse("3.2-beta+bar"))


def test_sorting() -> None:  # collection_test.go TestCollection
    versions = sorted(Version.parse(t) for t in ["1.2.3", "1.0", "1.3", "2", "0.4.2"])
    assert [str(v) for v in versions] == ["0.4.2", "1.0.0", "1.2.3", "1.3.0", "2.0.0"]


@pytest.mark.parametrize(("prerelease", "go_error"), VALIDATE_PRERELEASE)
def test_prerelease_rules(prerelease: str, go_error: str | None) -> None:
    text = f"1.2.3-{prerelease}"
    if go_error is None:
        assert Version.parse(text, strict=True).prerelease == prerelease
    else:
        with pytest.raises(OCMError, match=GO_ERRORS[go_error]):
            Version.parse(text, strict=True)


@pytest.mark.parametrize(("metadata", "go_error"), VALIDATE_METADATA)
def test_metadata_rules(metadata: str, go_error: str | None) -> None:
    text = f"1.2.3+{metadata}"
    if go_error is None:
        assert Version.parse(text, strict=True).metadata == metadata
    else:
        with pytest.raises(OCMError, match=GO_ERRORS[go_error]):
            Version.parse(text, strict=True)


def test_versions_longer_than_256_bytes_are_refused() -> None:  # TestNewVersionTooLong
    long = "1.0.0-" + "a" * 256
    for strict in (False, True):
        with pytest.raises(OCMError, match="longer than 256 bytes"):
            Version.parse(long, strict=strict)


def test_numbers_must_fit_64_bits() -> None:
    assert Version.parse("18446744073709551615.0.0").major == 2**64 - 1
    assert Version.try_parse("18446744073709551616.0.0") is None
    assert Version.try_parse("1.2.18446744073709551616", strict=True) is None


def test_go_regexp_end_anchor_does_not_allow_a_trailing_newline() -> None:
    assert Version.try_parse("1.2.3\n") is None


def test_prerelease_numbers_beyond_64_bits_compare_as_text() -> None:
    # strconv.ParseUint fails on them, so Masterminds compares them as alphanumerics,
    # which sort after every number.
    assert Version.parse("1.0.0-18446744073709551616") > Version.parse("1.0.0-18446744073709551615")
    # As text "2..." sorts after "1...", although 2e19 < 1e20.
    assert Version.parse("1.0.0-20000000000000000000") > Version.parse(
        "1.0.0-100000000000000000000"
    )


# --- constraints ---------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "go_function", "version", "is_error"), PARSE_CONSTRAINT)
def test_parse_term(text: str, go_function: str | None, version: str, is_error: bool) -> None:
    term = _parse_term(text)
    if is_error:
        assert term is None
        return
    assert term is not None
    assert go_function is not None
    assert term.op in GO_OPERATORS[go_function]
    assert str(term.con) == version


@pytest.mark.parametrize(("text", "version", "expected"), CONSTRAINT_CHECK)
def test_single_term_check(text: str, version: str, expected: bool) -> None:
    term = _parse_term(text)
    assert term is not None
    include_pre = term.con.prerelease != ""
    assert (term.failure(Version.parse(version), include_pre) is None) == expected


@pytest.mark.parametrize(("text", "alternatives", "terms", "is_error"), NEW_CONSTRAINT)
def test_parse_constraint(text: str, alternatives: int, terms: int, is_error: bool) -> None:
    if is_error:
        with pytest.raises(OCMError):
            Constraint.parse(text)
        return
    groups = Constraint.parse(text).groups
    assert len(groups) == alternatives
    assert len(groups[0]) == terms


@pytest.mark.parametrize(("text", "version", "expected"), CONSTRAINTS_CHECK)
def test_check(text: str, version: str, expected: bool) -> None:
    assert Constraint.parse(text).check(version) == expected


@pytest.mark.parametrize(("text", "version", "expected"), CONSTRAINTS_CHECK_INCLUDE_PRERELEASE)
def test_check_including_prereleases(text: str, version: str, expected: bool) -> None:
    assert Constraint.parse(text, include_prerelease=True).check(version) == expected


@pytest.mark.parametrize(("text", "rewritten"), REWRITE_RANGE)
def test_hyphen_ranges_are_rewritten(text: str, rewritten: str) -> None:
    assert _rewrite_ranges(text) == rewritten


@pytest.mark.parametrize(("text", "version", "expected"), CONSTRAINTS_VALIDATE)
def test_validate(text: str, version: str, expected: bool) -> None:
    ok, reasons = Constraint.parse(text).validate(version)
    assert ok == expected
    assert bool(reasons) != ok


@pytest.mark.parametrize(("text", "version", "reason"), CONSTRAINTS_VALIDATE_MESSAGES)
def test_validate_reasons(text: str, version: str, reason: str) -> None:
    _, reasons = Constraint.parse(text).validate(Version.parse(version, strict=True))
    assert reasons[0] == reason


@pytest.mark.parametrize(("text", "version", "expected"), CONSTRAINTS_VALIDATE_INCLUDE_PRERELEASE)
def test_validate_including_prereleases(text: str, version: str, expected: bool) -> None:
    ok, reasons = Constraint.parse(text, include_prerelease=True).validate(version)
    assert ok == expected
    assert bool(reasons) != ok


@pytest.mark.parametrize(
    ("text", "version", "reason"), CONSTRAINTS_VALIDATE_INCLUDE_PRERELEASE_MESSAGES
)
def test_validate_reasons_including_prereleases(text: str, version: str, reason: str) -> None:
    constraint = Constraint.parse(text, include_prerelease=True)
    _, reasons = constraint.validate(Version.parse(version, strict=True))
    assert reasons[0] == reason


@pytest.mark.parametrize("include_prerelease", [False, True])
def test_validate_lists_every_failing_term(include_prerelease: bool) -> None:
    constraint = Constraint.parse("!= 1.2.5, ^2, <= 1.1.x", include_prerelease=include_prerelease)
    _, reasons = constraint.validate(Version.parse("1.2.3", strict=True))
    assert reasons == ['"1.2.3" is less than "2"', '"1.2.3" is greater than "1.1.x"']


@pytest.mark.parametrize(
    ("text", "canonical"),
    CONSTRAINT_STRING + TEXT_MARSHAL_CONSTRAINTS + TEXT_UNMARSHAL_CONSTRAINTS,
)
def test_str_of_constraints(text: str, canonical: str) -> None:
    constraint = Constraint.parse(text)
    assert str(constraint) == canonical
    assert str(Constraint.parse(str(constraint))) == canonical


def test_constraints_longer_than_512_bytes_are_refused() -> None:  # TestNewConstraintTooLong
    with pytest.raises(OCMError, match="longer than 512 bytes"):
        Constraint.parse(">= 1.0.0 || " * 100)


def test_at_most_32_alternatives() -> None:  # TestNewConstraintTooManyGroups
    with pytest.raises(OCMError, match=r"more than 32 \|\| groups"):
        Constraint.parse(" || ".join([">= 1.0.0"] * 33))


def test_invalid_constraint_error_names_it() -> None:
    # cli/cmd/cmd_test.go Test_Get_Component_Version_Invalid_Semver checks the error text
    # contains the constraint.
    with pytest.raises(OCMError, match="invalid-constraint"):
        Constraint.parse("invalid-constraint")


def test_cli_default_constraint_admits_prereleases() -> None:
    default = Constraint.parse(pyocm.semver.DEFAULT_CONSTRAINT)
    assert default.check("0.0.1-alpha")
    assert default.check("v2")
    assert not default.check("0.0.0-0")


# Masterminds' pattern for one || group, transcribed with Go's \s (ASCII, no \v).  pyocm
# uses an equivalent pattern that cannot backtrack exponentially; on short strings (where
# the original is fast enough) both must accept exactly the same texts.
_S = r"[\t\n\f\r ]"
_GO_OPS = r"=||!=|>|<|>=|=>|<=|=<|~|~>|\^"
_GO_CV = (
    r"v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?"
    r"(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
    r"(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
)
_GO_VALID_GROUP = re.compile(
    rf"({_S}*({_GO_OPS}){_S}*({_GO_CV}){_S}*)((?:{_S}+|,{_S}*)({_GO_OPS}){_S}*({_GO_CV}){_S}*)*"
)
_PIECES = ["1", "2", "0", ".", "x", "*", "-", "+", "a", " ", "  ", "\t", ",", ">", "<", "=", "!"]
_PIECES += ["~", "^", "v", "|"]


@given(st.lists(st.sampled_from(_PIECES), max_size=10).map("".join))
def test_group_validation_matches_masterminds_pattern(text: str) -> None:
    ours = pyocm.semver._VALID_GROUP.fullmatch(text) is not None
    assert ours == (_GO_VALID_GROUP.fullmatch(text) is not None)


def test_pathological_constraint_is_refused_quickly() -> None:
    # Masterminds' pattern run by Python's backtracking engine takes seconds for this.
    with pytest.raises(OCMError, match="improper constraint"):
        Constraint.parse("1    " * 100 + "!")


# --- filter_and_sort -----------------------------------------------------------------------


def test_list_sorts_highest_first() -> None:
    # cli/cmd/cmd_test.go Test_List_Component_Version_Variations: 0.0.2 is listed before 0.0.1
    assert filter_and_sort(["0.0.1", "0.0.2"], "> 0.0.0-0").versions == ["0.0.2", "0.0.1"]


def test_latest_keeps_the_highest() -> None:
    assert filter_and_sort(["0.0.1", "0.0.2"], "> 0.0.0-0", latest=True).versions == ["0.0.2"]


def test_constraint_filters() -> None:
    assert filter_and_sort(["0.0.1", "0.0.2"], "< 0.0.2").versions == ["0.0.1"]


def test_non_semver_versions_are_returned_apart() -> None:
    selection = filter_and_sort(["latest", "1.0.0", "main", "2.0.0-rc.1"], "> 0.0.0-0")
    assert selection.versions == ["2.0.0-rc.1", "1.0.0"]
    assert selection.skipped == ["latest", "main"]


def test_no_constraint_keeps_every_semver_version() -> None:
    selection = filter_and_sort(["1.0.0-rc.1", "0.9", "x"], None)
    assert selection == (["1.0.0-rc.1", "0.9"], ["x"])
    assert filter_and_sort(["1.0.0-rc.1"], "").versions == ["1.0.0-rc.1"]


def test_a_constraint_without_prerelease_hides_prereleases() -> None:
    assert filter_and_sort(["1.0.0-rc.1", "0.9.0"], ">= 0.1").versions == ["0.9.0"]


def test_versions_of_equal_precedence_keep_their_order() -> None:
    selection = filter_and_sort(["1.0.0+b", "v1.0.0", "1.0.0+a", "0.1"], None)
    assert selection.versions == ["1.0.0+b", "v1.0.0", "1.0.0+a", "0.1"]


def test_invalid_constraint_fails_even_without_versions() -> None:
    with pytest.raises(OCMError, match='"invalid"'):
        filter_and_sort([], "invalid")


def test_latest_of_nothing_is_nothing() -> None:
    assert filter_and_sort([], "> 0.0.0-0", latest=True).versions == []


def test_module_examples_run() -> None:
    assert doctest.testmod(pyocm.semver).failed == 0
