"""`dangvu demo`: empty the database and fill it with the demonstration data."""

import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor


class Command(BaseCommand):
    help = (
        "Xóa toàn bộ dữ liệu trong cơ sở dữ liệu và tạo lại dữ liệu mẫu: Đảng bộ tỉnh Bình Định, "
        "Đảng bộ Khối các cơ quan tỉnh với lịch sử sắp xếp tổ chức, cấp ủy và các tài khoản "
        "dùng thử."
    )

    def handle(self, *args, **options) -> None:
        if settings.PRODUCTION:
            raise CommandError(
                "Không tạo dữ liệu mẫu trên hệ thống đang vận hành (DANGVU_ENV=production): "
                "lệnh này xóa toàn bộ dữ liệu."
            )
        from dangvu.demo import build
        from dangvu.members.parameter_rows import restore_parameter_rows

        started = time.monotonic()
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stdout.write("Cập nhật cấu trúc cơ sở dữ liệu...")
            call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Xóa dữ liệu cũ...")
        call_command("flush", interactive=False, verbosity=0)
        restore_parameter_rows()  # reference data of the migrations, which the flush removed
        self.stdout.write("Tạo dữ liệu mẫu...")
        demo = build()
        demo.report(self.stdout, seconds=time.monotonic() - started)
