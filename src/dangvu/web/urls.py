from django.contrib.auth import views as auth_views
from django.urls import path

from . import (
    audit_views,
    imports_views,
    members_views,
    organizations_views,
    quality_views,
    reports_views,
    views,
)

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("dang-nhap/", auth_views.LoginView.as_view(template_name="web/login.html"), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(next_page="web:home"), name="logout"),
    path("doi-mat-khau/", views.PasswordChange.as_view(), name="password_change"),
    path("doi-mat-khau/xong/", views.PasswordChangeDone.as_view(), name="password_change_done"),
    path("tong-quan/viec-can-lam/", views.worklist_summary, name="worklists"),
    path("tong-quan/viec-can-lam/<slug:slug>/", views.worklist_detail, name="worklist"),
]
urlpatterns += organizations_views.urlpatterns  # the organisation tree
urlpatterns += reports_views.urlpatterns
urlpatterns += audit_views.urlpatterns
urlpatterns += members_views.urlpatterns  # the member pages
urlpatterns += quality_views.urlpatterns  # data quality
urlpatterns += imports_views.urlpatterns  # the Excel/CSV import with its progress
