from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "dangvu.planning"
    label = "planning"
    verbose_name = "Chương trình công tác, chỉ tiêu"
