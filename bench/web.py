"""Benchmark of the web pages (issue 5) on the province-size dataset, on PostgreSQL.

Loads bench/report.py's data (its tree and members, with its generator functions; reused when
already loaded with the same parameters), starts the app as it runs in production
(`dangvu serve`: gunicorn, one worker), logs a user in with a grant over the top of the
generated tree (all its members; --scope province for report.py's benchmark province) and
times, through HTTP on one kept-alive connection, in rounds that visit every page once:

- the member list (`/dang-vien/`, the first page of the scope, Vietnamese order);
- a member file (`/dang-vien/<id>/`);
- the dashboard (`/`) twice: as a user meets it (its figures cached under the latest audit
  entry) and computed (an audit row written before each request, so nothing is cached);
- a trivial page of the same server with the same layout, session and scope bar
  (`/doi-mat-khau/xong/`).

It prints each page's median and p95 latency and their ratios to the trivial page's. Target
(issue 5): p95 ratio under 5, for the pages as users get them; the computed dashboard is the
first view after a write.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dangvu_bench_web \\
        .venv/bin/python bench/web.py [--members 150000 --orgs 8000] [--rounds 40] [--fresh]
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import importlib.util
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT_DIR = Path(__file__).resolve().parents[1]
TARGET_P95_RATIO = 5.0
USERNAME = "bench-web"


def _report_module():
    name = "dangvu_bench_report"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("report.py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def load_data(report, connection, members: int, orgs: int, seed: int) -> dict[str, int]:
    """bench/report.py's dataset: reused when loaded with the same parameters."""
    m = report.meta(connection)
    key = (members, orgs, seed, report.GENERATOR_VERSION)
    if m and m[:4] == key:
        print(f"data already loaded (in {m[9]:.0f} s): reusing it (--fresh to rebuild)")
        return dict(zip(("central", "province", "bloc", "cell"), m[4:8], strict=True))
    built = report.build(connection, members, orgs, seed)
    roots = built["roots"]
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_report_meta VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [*key, *(roots[k] for k in ("central", "province", "bloc", "cell")),
             json.dumps(built["counts"]), built["load_s"]],
        )  # fmt: skip
    return roots


def session_cookie(root_id: int) -> tuple[str, int]:
    """A user administering `root_id`'s subtree, logged in (a session row); and a member."""
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore

    from dangvu.access.models import Grant, Role
    from dangvu.access.scopes import scope_for
    from dangvu.members.selectors import person_list
    from dangvu.organizations.models import Organization

    user, _ = get_user_model().objects.get_or_create(username=USERNAME)
    Grant.objects.filter(user=user).delete()
    Grant.objects.create(
        user=user, organization=Organization.objects.get(pk=root_id), role=Role.ADMINISTRATOR
    )
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    member = person_list(scope=scope_for(user)).filter(status="full").order_by("pk").first()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}", member.pk


def free_port() -> int:
    with contextlib.closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def server(port: int):
    """`dangvu serve` in a child process (gunicorn, one worker, static files collected)."""
    env = {**os.environ, "DANGVU_DATA_DIR": tempfile.mkdtemp(prefix="dangvu_web_bench_")}
    command = [str(ROOT_DIR / ".venv" / "bin" / "dangvu"), "serve", "--no-migrate",
               "--host", "127.0.0.1", "--port", str(port), "--workers", "1", "--threads", "1"]  # fmt: skip
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            if child.poll() is not None:
                raise RuntimeError(child.stderr.read().decode())
            time.sleep(0.2)
        yield
    finally:
        child.terminate()
        child.wait(timeout=30)


class Browser:
    """One kept-alive HTTP connection carrying the session cookie, like a browser tab."""

    def __init__(self, port: int, cookie: str) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.cookie = cookie

    def get(self, url: str) -> tuple[float, int]:
        started = time.perf_counter()
        self.connection.request("GET", url, headers={"Cookie": self.cookie})
        response = self.connection.getresponse()
        body = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        if response.status != 200:
            raise RuntimeError(f"{url}: HTTP {response.status}\n{body[:2000].decode()}")
        return elapsed, len(body)


def p95(values: Sequence[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def touch() -> None:
    """An audit row, as any write makes: the dashboard's cached figures no longer apply."""
    from dangvu.access.models import AuditEntry

    AuditEntry.objects.create(
        action="bench.touch", object_type="bench", object_id="0", object_repr="bench/web.py"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=150_000)
    parser.add_argument("--orgs", type=int, default=8000)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument(
        "--scope",
        choices=("central", "province", "bloc", "cell"),
        default="central",
        help="the user's grant: the top of the generated tree (every member) by default",
    )
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the database")
    args = parser.parse_args(argv)

    report = _report_module()
    report.tree_bench.ensure_database(args.fresh)
    report.tree_bench.setup_django()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    print(
        f"dangvu web benchmark: {args.members:,} members, {args.orgs:,} organisations, "
        f"database {connection.settings_dict['NAME']}"
    )
    roots = load_data(report, connection, args.members, args.orgs, args.seed)
    cookie, member = session_cookie(roots[args.scope])
    pages = {
        "trivial page": ("/doi-mat-khau/xong/", None),
        "member list": ("/dang-vien/", None),
        "member file": (f"/dang-vien/{member}/", None),
        "dashboard": ("/", None),
        "dashboard, computed": ("/", touch),
    }
    times: dict[str, list[float]] = {label: [] for label in pages}
    port = free_port()
    with server(port):
        browser = Browser(port, cookie)
        for url, before in pages.values():  # warm up: imports, compiled statements
            for _ in range(3):
                if before:
                    before()
                browser.get(url)
        sizes = {}
        for _ in range(args.rounds):
            for label, (url, before) in pages.items():
                if before:
                    before()
                elapsed, sizes[label] = browser.get(url)
                times[label].append(elapsed)
    base_median = statistics.median(times["trivial page"])
    base_p95 = p95(times["trivial page"])
    print(f"\n{args.rounds} requests per page, one connection, gunicorn with one worker\n")
    print(f"{'page':<22} {'median ms':>10} {'p95 ms':>9} {'median x':>9} {'p95 x':>7}  size")
    worst = 0.0
    for label, values in times.items():
        median, high = statistics.median(values), p95(values)
        ratio = high / base_p95
        if label not in ("trivial page", "dashboard, computed"):
            worst = max(worst, ratio)
        print(
            f"{label:<22} {median:>10.1f} {high:>9.1f} {median / base_median:>9.2f} "
            f"{ratio:>7.2f}  {sizes[label] / 1024:.0f} KiB"
        )
    met = worst < TARGET_P95_RATIO
    print(
        f"\nworst p95 ratio {worst:.2f}: target < {TARGET_P95_RATIO:g} {'met' if met else 'MISSED'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
