"""Test data built through the same services readers and moderators use."""

import factory
from django.contrib.auth.models import Group

from accounts.models import User
from articles.models import Article
from comments import services
from comments.permissions import MODERATORS_GROUP


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"Reader {n}")
    password = factory.PostGenerationMethodCall("set_password", "pw-for-tests-1")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Article {n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    body = "First paragraph.\n\nSecond paragraph."


def make_moderator(**kwargs) -> User:
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])
    return User.objects.get(pk=user.pk)


def make_staff(**kwargs) -> User:
    return UserFactory(is_staff=True, **kwargs)


def post(article, author=None, body="A perfectly ordinary comment.", parent=None):
    """Post through the service, as a reader would."""
    return services.comment_create(
        article=article, author=author or UserFactory(), body=body, parent=parent
    )
