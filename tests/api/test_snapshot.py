"""
The public API, kept by a snapshot and by the changelog.

``tests/api/snapshot.txt`` lists every public name of the contract (the top
level and each public namespace's ``__all__``) with its kind and signature,
and the public members of each class, one line each. Two checks:

- the live API equals the snapshot, so a change of a name or a signature
  updates the snapshot in the same commit;
- every entry of the snapshot that differs from the snapshot of the last
  release (before the first release: the commit that added the snapshot)
  is named in the changelog's ``[Unreleased]`` section, by a line written
  since then.

Regenerate the snapshot after a deliberate change, from the checkout's
root, with ``python tests/api/test_snapshot.py`` (see docs/stability.md).
"""

from __future__ import annotations

import enum
import importlib
import inspect
import re
import shutil
import subprocess
import sys
import typing
from collections.abc import Iterable, Mapping
from pathlib import Path

import attrs
import pytest

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT = Path(__file__).with_name("snapshot.txt")
SNAPSHOT_IN_GIT = "tests/api/snapshot.txt"
CHANGELOG = ROOT / "CHANGELOG.md"
REGENERATE = "python tests/api/test_snapshot.py"

# The contract: the top level and the public namespaces (docs/stability.md).
NAMESPACES = (
    "servicecore",
    "servicecore.calendar",
    "servicecore.conditions",
    "servicecore.errors",
    "servicecore.escalation",
    "servicecore.feedback",
    "servicecore.models",
    "servicecore.personalization",
    "servicecore.plugins",
    "servicecore.sla",
)
# Public-looking modules of the package that are not namespaces of the
# contract, and why.
OUTSIDE = {
    "cli": "the command; its contract is its options and exit codes",
    "config": "policy loading, reached through the top level",
    "testing": "hypothesis strategies for integrators' tests",
}

_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


# -- rendering --------------------------------------------------------------


def _annotation(value: object) -> str:
    if isinstance(value, typing.ForwardRef):  # named tuples' fields
        return value.__forward_arg__
    if isinstance(value, str):
        return value
    if isinstance(value, type):
        if value.__module__ == "builtins" or _ours(value):
            return value.__qualname__
        return f"{value.__module__}.{value.__qualname__}"
    return repr(value).replace("typing.", "")


def _value(value: object) -> str:
    if isinstance(value, enum.Enum):
        return f"{type(value).__name__}.{value.name}"
    if value is attrs.NOTHING:
        return "<factory>"
    if isinstance(value, (set, frozenset)):
        items = ", ".join(sorted(_value(item) for item in value))
        return f"{type(value).__name__}({{{items}}})"
    return _ADDRESS.sub("", repr(value))


def _parameter(param: inspect.Parameter) -> str:
    text = param.name
    if param.kind is param.VAR_POSITIONAL:
        text = f"*{text}"
    elif param.kind is param.VAR_KEYWORD:
        text = f"**{text}"
    if param.annotation is not param.empty:
        text += f": {_annotation(param.annotation)}"
    if param.default is not param.empty:
        text += f" = {_value(param.default)}"
    return text


def _signature(obj: object, *, drop_self: bool = False) -> str:
    try:
        signature = inspect.signature(obj)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "(?)"
    parameters = list(signature.parameters.values())
    if drop_self and parameters and parameters[0].name in {"self", "cls"}:
        parameters = parameters[1:]
    # Rebuilt without `self` and rendered by us: inspect's own rendering of
    # defaults and annotations varies between Python versions.
    parts: list[str] = []
    star = False
    for index, param in enumerate(parameters):
        if param.kind is param.KEYWORD_ONLY and not star:
            parts.append("*")
        star = star or param.kind in {param.VAR_POSITIONAL, param.KEYWORD_ONLY}
        parts.append(_parameter(param))
        if param.kind is param.POSITIONAL_ONLY and all(
            later.kind is not param.POSITIONAL_ONLY
            for later in parameters[index + 1 :]
        ):
            parts.append("/")
    returns = ""
    if signature.return_annotation is not signature.empty:
        returns = f" -> {_annotation(signature.return_annotation)}"
    return f"({', '.join(parts)}){returns}"


def _ours(cls: type) -> bool:
    return cls.__module__.split(".")[0] == "servicecore"


def _constructor(cls: type) -> str:
    # Only a constructor servicecore writes (or attrs writes for it) is
    # part of the contract; builtins' and typing's vary between Pythons.
    if getattr(cls, "_is_protocol", False):
        return ""
    for klass in cls.__mro__:
        if not _ours(klass):
            return ""
        if "__init__" in vars(klass) or "__new__" in vars(klass):
            return _signature(cls)
    return ""


def _member(path: str, cls: type, name: str, value: object) -> str:
    if isinstance(value, property):
        returns = inspect.signature(value.fget).return_annotation
        return f"{path}: property -> {_annotation(returns)}"
    if isinstance(value, classmethod):
        signature = _signature(value.__func__, drop_self=True)
        return f"{path}: classmethod{signature}"
    if isinstance(value, staticmethod):
        return f"{path}: staticmethod{_signature(value.__func__)}"
    if inspect.isfunction(value):
        return f"{path}: method{_signature(value)}"
    # The annotations as written: attrs' field types are resolved in place
    # once cattrs has structured the class, so they depend on what ran.
    types: dict[str, object] = {}
    for klass in reversed(cls.__mro__):
        types |= vars(klass).get("__annotations__", {})
    if name in types:
        return f"{path}: attribute: {_annotation(types[name])}"
    return f"{path}: attribute = {_value(value)}"


def _class_lines(path: str, cls: type) -> list[str]:
    bases = ", ".join(base.__name__ for base in cls.__bases__)
    if issubclass(cls, enum.Enum):
        lines = [f"{path}: enum({bases})"]
        lines += [
            f"{path}.{member.name}: member = {member.value!r}"
            for member in cls
        ]
    else:
        lines = [f"{path}: class({bases}){_constructor(cls)}"]
    # Members defined by the class, or by a private servicecore base that
    # the contract does not list on its own.
    members: dict[str, object] = {}
    for klass in cls.__mro__:
        if klass is not cls and (
            not _ours(klass) or not klass.__name__.startswith("_")
        ):
            continue
        for name, value in list(vars(klass).items()):
            if name.startswith("_") or (
                issubclass(cls, enum.Enum) and isinstance(value, cls)
            ):
                continue
            members.setdefault(name, value)
    lines += [
        _member(f"{path}.{name}", cls, name, value)
        for name, value in sorted(members.items())
    ]
    return lines


def _lines(path: str, value: object) -> list[str]:
    if inspect.isclass(value):
        return _class_lines(path, value)
    if callable(value):
        return [f"{path}: function{_signature(value)}"]
    if isinstance(value, (int, float, str, bool)) or value is None:
        return [f"{path}: constant {type(value).__name__} = {value!r}"]
    if isinstance(value, Mapping):
        keys = sorted(map(str, value))
        return [f"{path}: constant {type(value).__name__} of {keys}"]
    return [f"{path}: constant {type(value).__name__}"]


def render_api(namespaces: Iterable[str] = NAMESPACES) -> list[str]:
    """Return the snapshot's lines for the live API, in a stable order."""
    lines: list[str] = []
    for namespace in namespaces:
        module = importlib.import_module(namespace)
        for name in module.__all__:
            lines += _lines(f"{namespace}.{name}", getattr(module, name))
    return lines


# -- the changelog ----------------------------------------------------------


def entries(lines: Iterable[str]) -> dict[str, set[str]]:
    """Group snapshot lines by the dotted path they describe."""
    grouped: dict[str, set[str]] = {}
    for line in lines:
        grouped.setdefault(line.split(": ", 1)[0], set()).add(line)
    return grouped


def changed_paths(old: Iterable[str], new: Iterable[str]) -> list[str]:
    """Return the paths added, removed or changed from *old* to *new*."""
    before, after = entries(old), entries(new)
    return sorted(
        path
        for path in before.keys() | after.keys()
        if before.get(path) != after.get(path)
    )


def is_named(path: str, text: str) -> bool:
    """
    Say whether *text* names *path* as a whole dotted name.

    The name is the path below ``servicecore``: ``sc.sla.SLAEngine`` or
    ``sla.SLAEngine`` names ``servicecore.sla.SLAEngine``.
    """
    relative = path.removeprefix("servicecore.")
    pattern = rf"(?<![\w.])(?:sc\.|servicecore\.)?{re.escape(relative)}(?!\w)"
    return re.search(pattern, text) is not None


def unnamed(paths: list[str], text: str) -> list[str]:
    """
    Return the changed *paths* that *text* does not name.

    A member of a class that itself changed (added, moved, removed) is
    covered by the class's mention; a member of an unchanged class must be
    named itself (``SLAEngine.evaluate``).
    """
    changed = set(paths)

    def covered(path: str) -> bool:
        if is_named(path, text):
            return True
        parent = path.rpartition(".")[0]
        return parent in changed and covered(parent)

    return [path for path in paths if not covered(path)]


def unreleased(changelog: str) -> str:
    """Return the text of the changelog's ``## [Unreleased]`` section."""
    _, found, rest = changelog.partition("\n## [Unreleased]")
    if not found:
        return ""
    return re.split(r"\n## ", rest, maxsplit=1)[0]


def added_text(old: str, new: str) -> str:
    """
    Return the lines of *new* that *old* does not have.

    A mention counts only in changelog text written since the baseline: an
    old bullet that already names ``sc.format_duration`` says nothing
    about a change of its signature made later.
    """
    before = set(old.splitlines())
    return "\n".join(line for line in new.splitlines() if line not in before)


def _git(*args: str) -> str:
    return subprocess.run(  # noqa: S603 - fixed arguments, no shell
        ["git", "-C", str(ROOT), *args],  # noqa: S607 - git from PATH
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def _at(commit: str, path: str) -> str:
    try:
        return _git("show", f"{commit}:{path}")
    except subprocess.CalledProcessError:
        return ""


def baseline() -> str | None:
    """
    Return the commit whose snapshot and changelog are the baseline.

    The newest release tag (``v*``) that has a snapshot; before the first
    release, the commit that added the snapshot. ``None`` before that
    commit exists.
    """
    tags = _git("tag", "--merged", "HEAD", "--sort=-creatordate", "v[0-9]*")
    for tag in tags.split():
        if _at(tag, SNAPSHOT_IN_GIT):
            return tag
    added = _git(
        "log", "--diff-filter=A", "--format=%H", "--", SNAPSHOT_IN_GIT
    ).split()
    return added[-1] if added else None


def _checkout() -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed: the changelog check needs it")
    try:
        inside = _git("rev-parse", "--is-inside-work-tree").strip()
    except subprocess.CalledProcessError:
        inside = "false"
    if inside != "true":
        pytest.skip(f"{ROOT} is not a git checkout")
    if _git("rev-parse", "--is-shallow-repository").strip() == "true":
        pytest.fail(
            "a shallow clone has no baseline for the changelog check: "
            "run `git fetch --unshallow`"
        )


# -- the tests --------------------------------------------------------------


class TestSnapshot:
    def test_live_api_equals_the_snapshot(self):
        """The live API is exactly the committed snapshot."""
        live = render_api()
        committed = SNAPSHOT.read_text(encoding="utf-8").splitlines()
        assert live == committed, (
            "the public API differs from tests/api/snapshot.txt; if the "
            f"change is deliberate, run `{REGENERATE}` from the checkout's "
            "root, commit the snapshot, and name each changed entry in "
            "CHANGELOG.md's [Unreleased] section"
        )

    def test_every_public_module_is_placed(self):
        """Every public module of the package is a namespace or outside it."""
        package = importlib.import_module("servicecore")
        public = {
            path.stem if path.is_file() else path.name
            for path in Path(package.__file__).parent.iterdir()
            if not path.name.startswith("_")
            and (path.suffix == ".py" or (path / "__init__.py").exists())
        }
        placed = {name.partition(".")[2] for name in NAMESPACES[1:]}
        assert sorted(public) == sorted(placed | OUTSIDE.keys()), (
            "add a new public module to NAMESPACES in tests/api/"
            "test_snapshot.py (then regenerate the snapshot and add its "
            "page under docs/reference/api/ and in mkdocs.yml), or to "
            "OUTSIDE with the reason it is not part of the contract"
        )


class TestReference:
    @pytest.mark.parametrize("namespace", NAMESPACES)
    def test_every_namespace_has_its_reference_page(self, namespace):
        """Each namespace has a page of docs/reference/api/ in the site's nav."""
        page = f"reference/api/{namespace.rpartition('.')[2]}.md"
        text = (ROOT / "docs" / page).read_text(encoding="utf-8")
        assert f"\n::: {namespace}\n" in text
        assert f": {page}\n" in (ROOT / "mkdocs.yml").read_text("utf-8")


class TestChangelog:
    def test_every_change_since_the_baseline_is_named(self):
        """Each entry changed since the baseline is named in new changelog text."""
        _checkout()
        commit = baseline()
        if commit is None:
            pytest.skip("the snapshot is not committed yet: no baseline")
        current = SNAPSHOT.read_text(encoding="utf-8").splitlines()
        old = _at(commit, SNAPSHOT_IN_GIT).splitlines()
        paths = changed_paths(old, current)
        text = added_text(
            unreleased(_at(commit, "CHANGELOG.md")),
            unreleased(CHANGELOG.read_text(encoding="utf-8")),
        )
        missing = unnamed(paths, text)
        assert missing == [], (
            f"public API entries changed since {commit[:12]} are not named "
            "in CHANGELOG.md's [Unreleased] section by a line written since "
            "then (write `sc.<namespace>.<Name>`, `sc.<Name>` or "
            "`<Class>.<member>`): " + ", ".join(missing)
        )


class TestChangedPaths:
    def test_added_removed_and_changed_entries(self):
        """An entry added, removed or with a changed line is a change."""
        old = ["servicecore.A: function()", "servicecore.B: function()"]
        new = ["servicecore.A: function(x: int)", "servicecore.sla.C: class()"]
        assert changed_paths(old, new) == [
            "servicecore.A",
            "servicecore.B",
            "servicecore.sla.C",
        ]

    def test_unchanged_entries_are_no_change(self):
        """Lines in another order are the same entries."""
        old = ["servicecore.A.x: method()", "servicecore.A: class()"]
        assert changed_paths(old, list(reversed(old))) == []


class TestNaming:
    @pytest.mark.parametrize(
        ("path", "text", "expected"),
        [
            (
                "servicecore.sla.ComplianceReport",
                "`sc.sla.ComplianceReport`",
                True,
            ),
            (
                "servicecore.sla.ComplianceReport",
                "`servicecore.sla.ComplianceReport`",
                True,
            ),
            (
                "servicecore.sla.ComplianceReport",
                "`sc.ComplianceReport`",
                False,
            ),
            (
                "servicecore.sla.ComplianceReport",
                "`sc.sla.ComplianceReports`",
                False,
            ),
            (
                "servicecore.ComplianceReport",
                "`sc.sla.ComplianceReport`",
                False,
            ),
            (
                "servicecore.ComplianceReport",
                "`sc.ComplianceReport` moved",
                True,
            ),
            ("servicecore.SLAEngine.evaluate", "`SLAEngine.evaluate()`", True),
            ("servicecore.SLAEngine.evaluate", "`sc.SLAEngine`", False),
        ],
    )
    def test_a_mention_is_the_path_from_servicecore(
        self, path, text, expected
    ):
        """A mention is the path below servicecore, as a whole name."""
        assert is_named(path, text) is expected

    def test_members_of_a_changed_class_are_covered_by_it(self):
        """Moving a class needs its name only, not each of its members."""
        paths = ["servicecore.sla.Report", "servicecore.sla.Report.rows"]
        assert unnamed(paths, "moved to `sc.sla.Report`") == []

    def test_members_of_an_unchanged_class_need_their_own_name(self):
        """A changed method of an unchanged class must be named itself."""
        paths = ["servicecore.Engine.evaluate"]
        assert unnamed(paths, "`sc.Engine` is faster") == paths

    def test_only_lines_written_since_the_baseline_count(self):
        """A line the baseline's changelog already had names nothing new."""
        old = "- `sc.format_duration()` writes durations.\n"
        new = old + "- `sc.parse_duration()` takes `max_length`.\n"
        text = added_text(old, new)
        assert text == "- `sc.parse_duration()` takes `max_length`."
        paths = ["servicecore.format_duration", "servicecore.parse_duration"]
        assert unnamed(paths, text) == ["servicecore.format_duration"]

    def test_unreleased_is_the_section_up_to_the_next_version(self):
        """Only the [Unreleased] section counts, not released ones."""
        changelog = (
            "# Changelog\n\n## [Unreleased]\n\n- `sc.A`\n\n"
            "## [0.1.0] - 2026-01-01\n\n- `sc.B`\n"
        )
        assert unreleased(changelog) == "\n\n- `sc.A`\n"


def main() -> None:
    """Write the live API to tests/api/snapshot.txt."""
    SNAPSHOT.write_text("\n".join(render_api()) + "\n", encoding="utf-8")
    sys.stdout.write(f"wrote {SNAPSHOT.relative_to(ROOT)}\n")


if __name__ == "__main__":
    main()
