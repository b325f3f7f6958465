import io

import pytest
from django.apps import apps

from dangvu.exchange.imports import import_file


def table_state() -> dict[str, list]:
    """Every row of every table of the project's apps (to show a file changed nothing)."""
    state = {}
    for model in apps.get_models():
        if model._meta.app_label in {"sessions", "contenttypes", "admin"}:
            continue
        state[model._meta.label] = list(model.objects.order_by("pk").values())
    return state


@pytest.fixture
def snapshot():
    return table_state


@pytest.fixture(params=[False, True], ids=["rows", "bulk"])
def run_import(request, system):
    """Import `content` (bytes) as `filename`; the system scope unless one is given. Each test
    runs twice: row by row through the services, and on the bulk path (exchange.bulk), which
    must give the same report and the same data."""

    def run(content: bytes, filename: str = "du-lieu.xlsx", scope=None, **options):
        options.setdefault("bulk", request.param)
        return import_file(
            scope=scope or system, source=io.BytesIO(content), filename=filename, **options
        )

    return run
