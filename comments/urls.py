from django.urls import path

from . import views

urlpatterns = [
    path("articles/<slug:slug>/", views.article_detail, name="article"),
    path("articles/<slug:slug>/comment/", views.comment_create, name="comment_create"),
    path("articles/<slug:slug>/updates", views.article_updates, name="article_updates"),
    path(
        "articles/<slug:slug>/updates/comments",
        views.article_new_comments,
        name="article_new_comments",
    ),
    path("comments/<int:pk>/", views.comment_detail, name="comment_detail"),
    path("comments/<int:pk>/reply/", views.comment_reply, name="comment_reply"),
    path("comments/<int:pk>/edit/", views.comment_edit, name="comment_edit"),
    path("comments/<int:pk>/delete/", views.comment_delete, name="comment_delete"),
    path("comments/<int:pk>/flag/", views.comment_flag, name="comment_flag"),
    path("comments/<int:pk>/react/", views.comment_react, name="comment_react"),
]
