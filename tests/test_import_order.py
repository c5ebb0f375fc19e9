"""Imports run one way: accounts, campaigns, partners, demands, actions, bargaining, surveys, reach,
broadcasts, audit, api.

An app may import the apps before it in that order and never one after it, so each app can be
read (and tested) knowing only the ones it builds on. The check reads every module of the apps
with ``ast``, the imports inside functions included (a lazy import is still a dependency), and
skips the blocks under ``if TYPE_CHECKING:``, which type checkers read and Python does not.
Templates count too: a template in ``templates/<app>/`` that loads a tag library of a later app
(``{% load broadcasts_tags %}``) depends on that app as an import would; a later app offers what
an earlier app's page shows through a registry the earlier app keeps (the pickers, the buttons
beside a member), filled from the later app's AppConfig.ready.
"""

from __future__ import annotations

import ast
import re

from tests.services import ROOT

ORDER = [
    "accounts",
    "campaigns",
    "partners",
    "demands",
    "actions",
    "bargaining",
    "surveys",
    "reach",
    "broadcasts",
    "audit",
    "api",
]

# Imports against the order that stay, each with the reason it must. A key is the importing
# module's path and the imported app.
# (Migrations are not read at all: they are generated, and they name related models by app
# label, which Django resolves whatever the order.)
EXCEPTIONS: dict[tuple[str, str], str] = {}

# Imports against the order that are still to be moved, with where each goes. The list only
# shrinks: a new import against the order fails the test, and so does an entry here that no
# longer happens, so that the list stays true.
TO_MOVE: dict[tuple[str, str], str] = {}


def app_of(module: str) -> str | None:
    top = module.split(".")[0]
    return top if top in ORDER else None


def is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imported_modules(tree: ast.AST):
    """Every module an AST imports, outside ``if TYPE_CHECKING:`` blocks."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and is_type_checking(node.test):
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module
        stack.extend(ast.iter_child_nodes(node))


def violations() -> dict[tuple[str, str], int]:
    found: dict[tuple[str, str], int] = {}
    for app in ORDER:
        rank = ORDER.index(app)
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative:
                continue
            tree = ast.parse(path.read_text(), filename=relative)
            for module in imported_modules(tree):
                other = app_of(module)
                if other is not None and ORDER.index(other) > rank:
                    found[(relative, other)] = found.get((relative, other), 0) + 1
    return found


LOAD = re.compile(r"{%\s*load\s+(.*?)\s*%}")


def loaded_libraries(source: str) -> set[str]:
    """The tag libraries a template loads: ``{% load a b %}`` and ``{% load x from lib %}``."""
    libraries = set()
    for arguments in LOAD.findall(source):
        words = arguments.split()
        libraries.update(words[words.index("from") + 1 :] if "from" in words else words)
    return libraries


def library_apps() -> dict[str, str]:
    """Each of the project's tag libraries and the app that defines it."""
    return {
        path.stem: app
        for app in ORDER
        for path in (ROOT / app).glob("templatetags/*.py")
        if path.stem != "__init__"
    }


def template_violations() -> dict[tuple[str, str], int]:
    libraries = library_apps()
    found: dict[tuple[str, str], int] = {}
    for app in ORDER:
        rank = ORDER.index(app)
        for path in sorted((ROOT / "templates" / app).rglob("*")):
            if not path.is_file():
                continue
            relative = path.relative_to(ROOT).as_posix()
            for library in loaded_libraries(path.read_text()):
                other = libraries.get(library)
                if other is not None and ORDER.index(other) > rank:
                    found[(relative, other)] = found.get((relative, other), 0) + 1
    return found


def test_app_templates_load_only_the_tags_of_the_apps_before_them():
    unexpected = sorted(template_violations())
    assert not unexpected, (
        f"These templates load tags of an app that comes after theirs in {' → '.join(ORDER)}: "
        f"{unexpected}. Let the later app register what the page shows (as the pickers and "
        f"campaigns.member_buttons do) from its AppConfig.ready."
    )


def test_the_template_check_reads_every_form_of_load():
    assert loaded_libraries(
        "{% load i18n partials %}\n{%load  static%}{% load text_button from broadcasts_tags %}"
    ) == {"i18n", "partials", "static", "broadcasts_tags"}
    assert library_apps()["campaigns_tags"] == "campaigns"


def test_apps_import_only_the_apps_before_them():
    unexpected = sorted(set(violations()) - set(EXCEPTIONS) - set(TO_MOVE))
    assert not unexpected, (
        f"These modules import an app that comes after theirs in {' → '.join(ORDER)}: "
        f"{unexpected}. Move the code to the later app, or pass what it needs as an argument."
    )


def test_every_listed_import_still_happens():
    gone = sorted((set(EXCEPTIONS) | set(TO_MOVE)) - set(violations()))
    assert not gone, f"These imports were moved: take them off the lists: {gone}"


def test_the_check_sees_lazy_imports_and_skips_type_checking_blocks():
    tree = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from audit.models import Event\n"
        "def f():\n"
        "    from bargaining.tasks import render\n"
        "    import demands.models\n"
    )
    assert sorted(imported_modules(tree)) == ["bargaining.tasks", "demands.models", "typing"]
