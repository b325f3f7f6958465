from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("dang-nhap/", auth_views.LoginView.as_view(template_name="web/login.html"), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(next_page="web:home"), name="logout"),
]
