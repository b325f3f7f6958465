"""Rules about the code itself: thin adapters, stable error codes."""

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "dangvu"
ADAPTERS = sorted([*SRC.rglob("api.py"), *SRC.rglob("*_api.py"), *SRC.rglob("views.py")])
ERROR_CLASSES = {"DomainError", "Forbidden", "Conflict", "NotFound"}
CODE = re.compile(r"^[a-z_]+\.[A-Z_]+$")


def python_files():
    return sorted(p for p in SRC.rglob("*.py") if "migrations" not in p.parts)


def test_adapters_exist():
    names = {str(p.relative_to(SRC)) for p in ADAPTERS}
    assert {"api.py", "organizations/api.py", "access/api.py", "web/views.py"} <= names


@pytest.mark.parametrize("path", ADAPTERS, ids=lambda p: str(p.relative_to(SRC)))
def test_no_orm_manager_in_api_and_views(path):
    """Views and API modules call selectors and services; they never query through a manager."""
    tree = ast.parse(path.read_text(), filename=str(path))
    offenders = [
        f"{path.name}:{node.lineno}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr in ("objects", "_default_manager")
    ]
    assert not offenders
    assert ".objects" not in path.read_text()


def error_codes() -> list[tuple[str, str]]:
    """(where, code) for every error code written in src: DomainError and its subclasses'
    first argument or `code=` keyword, and every {"code": ...} literal."""
    found = []
    for path in python_files():
        tree = ast.parse(path.read_text(), filename=str(path))
        where = str(path.relative_to(SRC))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", getattr(node.func, "attr", None))
                if name not in ERROR_CLASSES:
                    continue
                candidates = [kw.value for kw in node.keywords if kw.arg == "code"]
                if name != "NotFound" and node.args:
                    candidates.append(node.args[0])
                for value in candidates:
                    if isinstance(value, ast.Constant) and isinstance(value.value, str):
                        found.append((f"{where}:{node.lineno}", value.value))
            elif isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values, strict=True):
                    if (
                        isinstance(key, ast.Constant)
                        and key.value == "code"
                        and isinstance(value, ast.Constant)
                        and isinstance(value.value, str)
                    ):
                        found.append((f"{where}:{node.lineno}", value.value))
            elif isinstance(node, ast.Tuple) and len(node.elts) == 2:
                # `code, message = "core.X", "..."` pairs in the API's error handlers
                first = node.elts[0]
                if (
                    isinstance(first, ast.Constant)
                    and isinstance(first.value, str)
                    and "." in first.value
                    and first.value.split(".")[0] in {"core", "access", "organizations"}
                ):
                    found.append((f"{where}:{node.lineno}", first.value))
    return found


def test_error_codes_are_found():
    codes = {code for _, code in error_codes()}
    assert {"core.INVALID_INPUT", "access.UNAUTHENTICATED", "organizations.CODE_TAKEN"} <= codes
    assert len(codes) > 30


def test_every_error_code_is_app_dot_upper_snake():
    bad = [(where, code) for where, code in error_codes() if not CODE.match(code)]
    assert not bad


def test_not_found_default_code_is_well_formed():
    from dangvu.core.errors import NotFound

    assert CODE.match(NotFound().code)


def test_every_error_code_names_an_app():
    apps = {p.name for p in SRC.iterdir() if p.is_dir()}
    wrong = [(where, code) for where, code in error_codes() if code.split(".")[0] not in apps]
    assert not wrong
