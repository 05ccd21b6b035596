"""Every permission named in code or templates is one a rule is registered for.

Python names permissions by enum member (``@requires(Perm.AGREEMENT_VIEW)``), so a typo fails
at import and in mypy; a string literal handed to ``requires``/``require``/``can`` would be
looked up at run time and, misspelt, refuse everyone without a word. Templates name
permissions as strings: in the shell's ``nav_perms.<key>`` (the keys apps register in
``core/shell.py``) and in any quoted name of a permission inside ``{% … %}`` or ``{{ … }}``.
This test reads every Python file and template and fails on a name that is not registered.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from consilium.core import access, navigation, shell

ROOT = Path(__file__).resolve().parent.parent
CALLS = {"requires": 0, "require": 1, "can": 1}  # the argument that names the permission
TEMPLATE_TAGS = re.compile(r"{%.*?%}|{{.*?}}", re.S)
QUOTED = re.compile(r"""["']([a-z_]+(?:\.[a-z_]+)+)["']""")
NAV = re.compile(r"\bnav_perms\.(\w+)")


def _python_files() -> list[Path]:
    return [
        path
        for base in ("consilium", "tests", "bench")
        for path in sorted((ROOT / base).rglob("*.py"))
        if "migrations" not in path.parts
    ]


def _templates() -> list[Path]:
    return [
        path
        for path in sorted((ROOT / "consilium").rglob("*"))
        if path.is_file() and "templates" in path.parts and path.suffix in (".html", ".txt")
    ]


ON_PURPOSE = "# unregistered on purpose"


def _called(node: ast.Call) -> str:
    """``can`` for ``can(...)`` and ``access.can(...)`` (not another object's ``can``)."""
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if (
        isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Name)
        and func.value.id == "access"
    ):
        return func.attr
    return ""


def permission_literals(source: str) -> list[tuple[int, str]]:
    """(line, name) of each string literal given as the permission of requires/require/can
    (a line that ends with ``# unregistered on purpose`` is a test of the refusal)."""
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or _called(node) not in CALLS:
            continue
        if lines[node.lineno - 1].rstrip().endswith(ON_PURPOSE):
            continue
        position = CALLS[_called(node)]
        candidates = [node.args[position]] if len(node.args) > position else []
        candidates += [kw.value for kw in node.keywords if kw.arg == "perm"]
        for value in candidates:
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                found.append((node.lineno, value.value))
    return found


def template_names(text: str) -> tuple[list[str], list[str]]:
    """The quoted permission-shaped names in tags and variables, and the nav_perms keys."""
    namespaces = {name.split(".")[0] for name in access.registered_permissions() if "." in name}
    quoted, nav = [], []
    for tag in TEMPLATE_TAGS.findall(text):
        quoted += [m for m in QUOTED.findall(tag) if m.split(".")[0] in namespaces]
        nav += NAV.findall(tag)
    return quoted, nav


def test_python_names_only_registered_permissions() -> None:
    registered = access.registered_permissions()
    unknown = [
        f"{path.relative_to(ROOT)}:{line}: {name!r}"
        for path in _python_files()
        for line, name in permission_literals(path.read_text())
        if name not in registered
    ]
    assert unknown == []


def test_templates_name_only_registered_permissions() -> None:
    registered = access.registered_permissions()
    nav_keys = set(shell.nav_permissions())
    unknown = []
    for path in _templates():
        quoted, nav = template_names(path.read_text())
        unknown += [f"{path.relative_to(ROOT)}: {n!r}" for n in quoted if n not in registered]
        unknown += [f"{path.relative_to(ROOT)}: nav_perms.{k}" for k in nav if k not in nav_keys]
    assert unknown == []


def test_every_nav_permission_is_registered() -> None:
    """The ``nav_perms`` flags and the navigation's entries (``core/navigation.py``)."""
    registered = access.registered_permissions()
    assert {str(perm) for perm in shell.nav_permissions().values()} <= registered
    entries = {str(e.permission) for e in navigation.nav_entries() if e.permission is not None}
    assert entries <= registered


def test_the_scanners_catch_a_misspelt_name() -> None:
    """The scanners themselves: a typo in each place they read is reported."""
    source = (
        "@requires('agreement.veiw')\n"
        "def view(request): access.require(request.user, 'course.learn')\n"
        "ok = access.can(user, perm='course.lern')\n"
        "machine.can('open', 'closed')\n"
        "access.can(user, 'no.such')  # unregistered on purpose\n"
    )
    assert sorted(permission_literals(source)) == [
        (1, "agreement.veiw"),
        (2, "course.learn"),
        (3, "course.lern"),
    ]
    quoted, nav = template_names(
        '{% if user|can:"agreement.veiw" %}{{ nav_perms.agreemnts }}{% endif %}'
        '{% static "consilium/app.css" %}{% translate "See agreement.view." %}'
    )
    assert quoted == ["agreement.veiw"]
    assert nav == ["agreemnts"]
