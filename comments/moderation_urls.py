"""Moderation desk URLs (views in comments/moderation_views.py)."""

from django.urls import path

from . import moderation_views as views

app_name = "moderation"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("comments/<int:pk>/", views.comment_card, name="comment"),
]
