"""PEP 440 cases from packaging (see pep440-cases.sh): for each specifier set, whether
packaging parses it, which versions it contains (SpecifierSet.contains, prereleases left to
the set) and the newest version it selects from the list (what the action resolves to)."""
import json
import sys

sys.path.insert(0, sys.argv[1])
import packaging  # noqa: E402
from packaging.specifiers import InvalidSpecifier, SpecifierSet  # noqa: E402
from packaging.version import Version  # noqa: E402

# CPython releases of several shapes (finals, .0 releases, prereleases of a line).
VERSIONS = [
    "3.9.0", "3.9.25", "3.10.0", "3.10.20", "3.11.0", "3.11.2", "3.11.15",
    "3.12.0a1", "3.12.0rc1", "3.12.0", "3.12.1", "3.12.13",
    "3.13.0a4", "3.13.0b1", "3.13.0rc3", "3.13.0", "3.13.1", "3.13.14", "3.13.15", "3.13.18",
    "3.14.0b4", "3.14.0rc1", "3.14.0", "3.14.10", "3.15.0b4", "3.15.0", "3.15.2", "4.0.0",
]

SPECS = [
    # The cases and their neighbours.
    "<=3.12", "<=3.12.0", "<=3.12.13", "<3.12", "<3.13", "<3.13.0", ">3.12", ">3.12.0", ">=3.12",
    "==3.13", "==3.13.0", "==3.13.*", "==3.*", "==3", "!=3.13.*", "!=3.13", "!=3.13.0",
    "~=3.12", "~=3.12.1", "~=3.13.0", "~=3", "~=3.12.*",
    ">=3.12,<3.14", ">=3.12, <3.14", " >=3.10 , <3.13 ", ">=3.9,!=3.9.1", ">=3.8,!=3.13.*,<4",
    ">=2.7, !=3.0.*, !=3.1.*, !=3.2.*, !=3.3.*, !=3.4.*, !=3.5.*",
    # Prereleases: named, or not.
    ">=3.14.0b1", ">=3.14.0rc1", "==3.14.0rc1", "<3.14.0rc1", ">3.13.0rc3", "~=3.15.0b1",
    "==3.14.*", ">=3.15", ">3.14", "<3.15", "<=3.15.0b4", "==3.15.0b4", ">=3.13a1",
    "<3.12.0a1", "==3.12.0a1", "!=3.12.0rc1", ">=3.12.0.dev0", "<3.13.dev0", ">3.13.0.post1",
    ">=3.13.post0", ">3.13", ">3.13.0", "<4", "<4.0", "<=4", "==4.*", "==4.0.0.0", "==4.0",
    # Spellings packaging normalises.
    ">=v3.12", "==3.13.0-rc3", "==3.13.0.RC3", "==3.13rc3", ">= 3.12", "== 3.13.*", ">=3.12.0-1",
    "==3.13.15+local", "==3.13.15+local.1", "!=3.13.15+x", "===3.13.15", "===3.13", "===3.13.15 ",
    ">=0!3.12", ">=1!3.0", "==0!3.13.*",
    # Not specifiers: refused.
    "3.12", "=3.12", "=>3.12", "<=3.12.*", ">=3.*", "~=3.*", "~=3.12+local", ">=3.12+local",
    ">3.12.*", "==3.*.1", "== ", ">=3.12 <3.14", ">=3.12;<3.14", "^3.11", "~3.11", "3.12.x",
    ">=3.12,,<3.14", "", ",",
]


def case(text):
    try:
        specs = SpecifierSet(text)
    except InvalidSpecifier:
        return {"spec": text, "valid": False}
    contains = [v for v in VERSIONS if specs.contains(v)]
    selected = sorted(specs.filter(VERSIONS), key=Version)
    return {"spec": text, "valid": True, "contains": contains, "newest": selected[-1] if selected else None}


print(json.dumps(
    {
        "generator": f"scripts/pep440-cases.sh: packaging {packaging.__version__} (Debian python3-packaging)",
        "versions": VERSIONS,
        "cases": [case(s) for s in SPECS],
    },
    indent=1,
))
