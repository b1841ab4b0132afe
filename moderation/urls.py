"""Moderation desk URLs (views in moderation/views.py)."""

from django.urls import path

from . import views

app_name = "moderation"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("comments/<int:pk>/", views.comment_card, name="comment"),
    path("comments/<int:pk>/<str:action>/", views.comment_action, name="comment_action"),
    path("bulk/", views.bulk_action, name="bulk"),
    path("articles/<slug:slug>/mode/", views.article_mode, name="article_mode"),
    path("users/<int:pk>/", views.user_history, name="user"),
    path("users/<int:pk>/<str:action>/", views.user_action, name="user_action"),
    path("log/", views.audit_log, name="log"),
    path("detector/", views.detector_stats, name="detector"),
]
