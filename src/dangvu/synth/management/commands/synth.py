"""`dangvu synth --scale bloc|province|national [--seed N] [--fresh]`: synthetic data."""

import argparse

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from dangvu.core.errors import DomainError
from dangvu.synth.build import SCALES, synth


class Command(BaseCommand):
    help = (
        "Tạo dữ liệu tổng hợp có tính thực tế (cây tổ chức đảng với lịch sử 2016–2026, đảng "
        "viên và các sự kiện tuân thủ quy định), tất định theo hạt giống: cấp khối (5.000 đảng "
        "viên), cấp tỉnh (150.000) hoặc toàn quốc (5.600.000). Trên PostgreSQL nạp bằng COPY."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--scale",
            required=True,
            choices=sorted(SCALES),
            help="quy mô: bloc, province, national",
        )
        parser.add_argument("--seed", type=int, default=2025, help="hạt giống (mặc định 2025)")
        parser.add_argument(
            "--fresh",
            action="store_true",
            help="xóa tổ chức, lý lịch và sự kiện đang có rồi tạo lại",
        )
        # smaller sizes for the tests
        parser.add_argument("--members", type=int, help=argparse.SUPPRESS)
        parser.add_argument("--orgs", type=int, help=argparse.SUPPRESS)

    def handle(self, *args, **options) -> None:
        if settings.PRODUCTION:
            raise CommandError(
                "Không tạo dữ liệu tổng hợp trên hệ thống đang vận hành (DANGVU_ENV=production)."
            )
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stdout.write("Cập nhật cấu trúc cơ sở dữ liệu...")
            call_command("migrate", interactive=False, verbosity=0)
        try:
            synth(
                scale=SCALES[options["scale"]],
                seed=options["seed"],
                fresh=options["fresh"],
                members=options["members"],
                orgs=options["orgs"],
                out=self.stdout.write,
            )
        except DomainError as error:
            raise CommandError(error.message) from None
