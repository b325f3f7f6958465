"""`dangvu serve`: migrate, collect static files and serve with gunicorn (not runserver)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from gunicorn.app.base import BaseApplication


class _Gunicorn(BaseApplication):
    def __init__(self, options: dict) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from dangvu.wsgi import application

        return application


class Command(BaseCommand):
    help = "Cập nhật cơ sở dữ liệu và chạy máy chủ web (gunicorn)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--threads", type=int, default=4)
        parser.add_argument("--no-migrate", action="store_true", help="Không chạy migrate.")

    def handle(self, *args, **options) -> None:
        if not options["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        address = f"{options['host']}:{options['port']}"
        self.stdout.write(f"dangvu đang chạy tại http://{address}/ (Ctrl+C để dừng)")
        _Gunicorn(
            {
                "bind": address,
                "workers": options["workers"],
                "threads": options["threads"],
                "worker_class": "gthread",
                "accesslog": "-",
                "timeout": 120,
            }
        ).run()
