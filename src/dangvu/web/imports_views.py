"""Nhập dữ liệu (/nhap-du-lieu/): upload an Excel or CSV file for a dry run or a real import,
follow its progress, read the report row by row; download the template.

The upload is stored under DATA_DIR/imports and the import (exchange.imports.import_file, in
the user's scope, the bulk path for large files) runs in a background thread that writes its
progress to the cache under a job id; the job page polls it with htmx every second. A job is
seen only by the user who started it. The cache must be shared by the app servers for the
polling to reach the job from any of them (the default local-memory cache serves one process).
"""

import threading
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dangvu.access.scopes import Scope
from dangvu.core.errors import DomainError, Forbidden
from dangvu.exchange.api import MAX_UPLOAD_BYTES, XLSX
from dangvu.exchange.imports import check_may_import, import_file
from dangvu.exchange.report import KIND_LABELS
from dangvu.exchange.sheets import open_sheets
from dangvu.exchange.templates import import_template
from dangvu.organizations.selectors import organization_get

from .scoping import request_scope

JOB_SECONDS = 6 * 3600  # how long a job's progress and report stay readable
TEMPLATE_NAME = "mau-nhap-du-lieu.xlsx"


def _key(job: str) -> str:
    return f"dangvu:import-job:{job}"


def run_in_background(work) -> None:
    """Start `work` in a thread of its own, with its own database connection closed at the end
    (the tests run it at once instead)."""

    def thread() -> None:
        try:
            work()
        finally:
            connection.close()

    threading.Thread(target=thread, name="dangvu-import", daemon=True).start()


def _forbidden(request: HttpRequest, error: DomainError) -> HttpResponse:
    return render(request, "web/imports/page.html", {"forbidden": error.message}, status=403)


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    scope = request_scope(request)
    try:
        check_may_import(scope, None)
    except Forbidden as error:
        return _forbidden(request, error)
    context = {
        "max_mb": MAX_UPLOAD_BYTES // (1024 * 1024),
        "dry_run": True,
        "organization_code": "",
    }
    if request.method == "GET":
        return render(request, "web/imports/page.html", context)
    upload = request.FILES.get("tep")
    dry_run = request.POST.get("cach") != "nhap"
    code = request.POST.get("to-chuc", "").strip()
    context.update(dry_run=dry_run, organization_code=code)
    try:
        if upload is None:
            raise DomainError("exchange.NO_FILE", _("Hãy chọn tệp Excel (.xlsx) hoặc CSV để nhập."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise DomainError(
                "exchange.FILE_TOO_LARGE",
                _("Tệp lớn hơn %(mb)s MB: hãy chia thành nhiều tệp.") % {"mb": context["max_mb"]},
            )
        default = organization_get(scope=scope, code=code) if code else None
        check_may_import(scope, default)
    except DomainError as error:
        context["error"] = error.message
        return render(request, "web/imports/page.html", context, status=error.status)
    job = uuid.uuid4().hex
    folder = Path(settings.DATA_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    stored = folder / f"{job}{Path(upload.name).suffix.lower()[:8]}"
    with stored.open("wb") as out:
        for block in upload.chunks():
            out.write(block)
    state = {
        "user": request.user.pk,
        "filename": upload.name,
        "dry_run": dry_run,
        "status": "queued",
        "done": 0,
        "total": 0,
        "sheet": "",
    }
    cache.set(_key(job), state, JOB_SECONDS)
    # the thread has no request: its messages follow the language of the upload
    language = translation.get_language()
    run_in_background(lambda: _run(job, state, scope, stored, default, language))
    return redirect("web:import_job", job=job)


def _run(job: str, state: dict, scope: Scope, stored: Path, default, language: str) -> None:
    """The import of one stored upload, its progress and its report written to the cache."""
    with translation.override(language):
        _import(job, state, scope, stored, default)


def _import(job: str, state: dict, scope: Scope, stored: Path, default) -> None:

    def save(**changes) -> None:
        state.update(changes)
        cache.set(_key(job), state, JOB_SECONDS)

    try:
        with stored.open("rb") as source:
            sheets = open_sheets(source, state["filename"])
            save(status="running", total=sum(s.size() for s in sheets if s.header))
            source.seek(0)
            report = import_file(
                scope=scope,
                source=source,
                filename=state["filename"],
                dry_run=state["dry_run"],
                default_organization=default,
                progress=lambda sheet, done: save(sheet=sheet, done=done),
            )
        save(
            status="done",
            done=sum(sheet.rows for sheet in report.sheets),
            report={**report.as_dict(), "summary": report.summary()},
        )
    except DomainError as error:
        save(status="failed", error=f"{error.message} ({error.code})")
    except Exception as error:  # the page must say the import ended, whatever happened
        failure = _("Lỗi hệ thống khi nhập tệp (%(error)s).") % {"error": type(error).__name__}
        save(status="failed", error=failure)
        raise
    finally:
        stored.unlink(missing_ok=True)


def _job(request: HttpRequest, job: str) -> dict:
    state = cache.get(_key(job))
    if state is None or state["user"] != request.user.pk:
        raise Http404(_("Không có lượt nhập dữ liệu này."))
    return _with_labels(state)


def _with_labels(state: dict) -> dict:
    state = dict(state)
    if state.get("total"):
        state["percent"] = min(100, round(100 * state["done"] / state["total"]))
    report = state.get("report")
    if report:
        for sheet in report["sheets"]:
            sheet["kind_label"] = KIND_LABELS[sheet["kind"]]
    return state


@login_required
def import_job(request: HttpRequest, job: str) -> HttpResponse:
    return render(request, "web/imports/job.html", {"job": job, "state": _job(request, job)})


@login_required
def import_job_progress(request: HttpRequest, job: str) -> HttpResponse:
    """The progress fragment the job page polls (it stops polling once the job has ended)."""
    return render(request, "web/imports/_progress.html", {"job": job, "state": _job(request, job)})


@login_required
def import_template_download(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(import_template(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{TEMPLATE_NAME}"'
    return response


urlpatterns = [
    path("nhap-du-lieu/", import_page, name="imports"),
    path("nhap-du-lieu/tep-mau.xlsx", import_template_download, name="import_template"),
    path("nhap-du-lieu/<slug:job>/", import_job, name="import_job"),
    path("nhap-du-lieu/<slug:job>/tien-do/", import_job_progress, name="import_job_progress"),
]
