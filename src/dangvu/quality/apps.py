from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "dangvu.quality"
    label = "quality"
    verbose_name = "Chất lượng dữ liệu"
