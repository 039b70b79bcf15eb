"""Every string the interface shows goes through Django's translation machinery (docs/i18n.md).

The source language is Russian: the msgid is the Russian text, so the Russian interface needs no
catalogue entries except plurals, and `makemessages -l <code>` collects every string for a second
language. These checks find Russian text that would escape such a catalogue:

* templates: Russian outside `{% translate %}` / `{% blocktranslate %}` and outside comments, and
  Russian literals in tags and variables not written as `_("…")`;
* Python: Russian string literals that are not an argument of `gettext`, `gettext_lazy`, `ngettext`,
  `pgettext` and their kin (imported under any of those names or as `_`), not a docstring, not an
  argument of a logging call or of `re` — or that are marked on their line with `# i18n: <why>` (data
  the register stores or compares, such as a dictionary's official name or a regular expression).

Not checked, on purpose: migrations (history), `frmr/demo` (invented people and places), management
commands (an administrator's console), the ЕСИА emulator (it shows what the real ЕСИА shows) and the
tests.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.template.base import Lexer, TokenType

ROOT = Path(__file__).resolve().parents[2]
RUSSIAN = re.compile(r"[А-Яа-яЁё]")
PYTHON_ROOTS = ("frmr", "web", "config")
SKIPPED_PARTS = {"migrations", "commands"}
SKIPPED_PREFIXES = ("frmr/demo/",)
TEMPLATE_DIRS = ("templates", "web")
TRANSLATING = {
    "_",
    "gettext",
    "gettext_lazy",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
}
LOGGING = {"debug", "info", "warning", "error", "exception", "critical", "log"}
MARK = "# i18n:"


def _python_files() -> Iterator[Path]:
    for root in PYTHON_ROOTS:
        for path in sorted((ROOT / root).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if SKIPPED_PARTS & set(path.parts) or relative.startswith(SKIPPED_PREFIXES):
                continue
            yield path


def _template_files() -> Iterator[Path]:
    for root in TEMPLATE_DIRS:
        yield from sorted(path for path in (ROOT / root).rglob("*.html") if "templates" in path.parts)


def _call_name(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def _exempt_calls(node: ast.Call) -> bool:
    name = _call_name(node)
    if name in TRANSLATING:
        return True
    if isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name):
        owner = node.func.value.id
        if owner == "re" or (name in LOGGING and "log" in owner.lower()):
            return True
    return False


def untranslated_python(source: str) -> list[tuple[int, str]]:
    """(line, text) of every Russian literal in `source` that the rules above do not excuse."""
    tree = ast.parse(source)
    lines = source.splitlines()
    excused: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                excused.add(id(first.value))
        elif isinstance(node, ast.Call) and _exempt_calls(node):
            excused.update(id(sub) for sub in ast.walk(node))
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            continue
        if id(node) in excused or not RUSSIAN.search(node.value):
            continue
        end = node.end_lineno or node.lineno
        if any(MARK in lines[number - 1] for number in range(node.lineno, end + 1)):
            continue
        found.append((node.lineno, node.value))
    return found


def _literal_outside_translate(contents: str) -> bool:
    """A tag's or variable's text holds a Russian literal not written `_("…")`."""
    stripped = re.sub(r"""_\((?:"[^"]*"|'[^']*')\)""", "", contents)
    return any(RUSSIAN.search(literal) for literal in re.findall(r""""[^"]*"|'[^']*'""", stripped))


def untranslated_template(source: str) -> list[tuple[int | None, str]]:
    """(line, text) of the Russian a template shows without the translation tags."""
    found = []
    inside: str | None = None  # the closing tag of a block whose text is excused
    for token in Lexer(source).tokenize():
        text = token.contents
        if token.token_type == TokenType.BLOCK:
            tag = text.split()[0] if text.split() else ""
            if inside is not None:
                if tag == inside:
                    inside = None
                continue
            if tag in {"blocktranslate", "blocktrans"}:
                inside = "end" + tag
            elif tag == "comment":
                inside = "endcomment"
            elif tag not in {"translate", "trans"} and _literal_outside_translate(text):
                found.append((token.lineno, text))
        elif inside is not None or token.token_type == TokenType.COMMENT:
            continue
        elif token.token_type == TokenType.VAR:
            if _literal_outside_translate(text):
                found.append((token.lineno, text))
        elif token.token_type == TokenType.TEXT and RUSSIAN.search(text):
            first = next(line for line in text.splitlines() if RUSSIAN.search(line))
            found.append((token.lineno, first.strip()))
    return found


@pytest.mark.parametrize("path", list(_python_files()), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_python_strings_go_through_gettext(path: Path) -> None:
    found = untranslated_python(path.read_text(encoding="utf-8"))
    assert not found, "\n".join(f"{path.relative_to(ROOT)}:{line}: {text!r}" for line, text in found)


@pytest.mark.parametrize("path", list(_template_files()), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_template_text_goes_through_translate(path: Path) -> None:
    found = untranslated_template(path.read_text(encoding="utf-8"))
    assert not found, "\n".join(f"{path.relative_to(ROOT)}:{line}: {text!r}" for line, text in found)


def test_the_checks_see_what_they_should() -> None:
    python = '''"""Модуль."""
from django.utils.translation import gettext as _
A = _("Сохранить")
B = "Отмена"
C = re.compile("[А-Я]")
D = "ИВАНОВ"  # i18n: data
logger.info("сообщение")
'''
    assert untranslated_python(python) == [(4, "Отмена")]
    template = """{% load i18n %}{# Комментарий #}<h1>{% translate "Сотрудники" %}</h1>
<p>Нет записей</p>{% blocktranslate %}Всего {{ n }}{% endblocktranslate %}
{% include "x.html" with title="Заголовок" %}{% include "x.html" with title=_("Заголовок") %}
{{ value|default:"нет" }}{% comment %}Пояснение{% endcomment %}"""
    assert [line for line, _ in untranslated_template(template)] == [1, 3, 4]
