from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "dangvu.access"
    label = "access"
    verbose_name = "Tài khoản, phạm vi và nhật ký"
