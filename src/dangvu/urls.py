from django.contrib import admin
from django.urls import include, path

from dangvu.api import api

admin.site.site_header = "dangvu – Quản trị"
admin.site.site_title = "dangvu"
admin.site.index_title = "Quản trị hệ thống"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("dangvu.web.urls")),
]
