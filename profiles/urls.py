from django.urls import path

from . import views

urlpatterns = [
    path("users/<str:username>/", views.profile, name="profile"),
    path("accounts/me/", views.me, name="account_me"),
    path("accounts/me/name/", views.me_name, name="account_name"),
    path("accounts/me/data/", views.me_data, name="account_data"),
    path("accounts/me/delete/", views.me_delete, name="account_delete"),
]
