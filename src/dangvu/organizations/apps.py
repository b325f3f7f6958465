from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "dangvu.organizations"
    label = "organizations"
    verbose_name = "Tổ chức đảng"
