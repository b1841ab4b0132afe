"""The detector wired into posting, editing, the queue, the CLI and moderators' feedback."""

import io
import json

import pytest
from django.core.management import call_command

from comments import importing, services
from comments.models import Comment
from moderation import detection, findings
from moderation import services as moderation_services
from moderation.models import Finding, Flag, ModerationEvent
from tests.factories import make_staff, post

pytestmark = pytest.mark.django_db

GENERALISING = "As usual, Sunnis will have nothing and will be the losers."
VIOLENT = "Yup, death to all SalafiTerrorists in Syria"
HARMLESS = "Many Sunnis fight in the SAA, and Syria is a religiously plural state."


def test_a_generalising_comment_gets_a_nudge_and_nothing_is_saved(client_for, article, reader):
    response = client_for(reader).post(f"/articles/{article.slug}/comment/", {"body": GENERALISING})
    html = response.content.decode()
    assert response.status_code == 200
    assert "may generalise about a whole group" in html
    assert "Sunnis will have nothing" in html
    assert "Post anyway" in html
    assert GENERALISING in html  # the text stays in the form for editing
    assert not Comment.objects.exists()


def test_posting_anyway_publishes_it_with_a_detector_flag_in_reported(
    client_for, article, reader, moderator
):
    response = client_for(reader).post(
        f"/articles/{article.slug}/comment/", {"body": GENERALISING, "post_anyway": "1"}
    )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.status == "published"
    finding = comment.findings.get()
    assert (finding.rule, finding.canonical, finding.severity) == (
        "collective_fate",
        "Sunnis",
        "report",
    )
    assert GENERALISING[finding.start : finding.end] == finding.match
    flag = Flag.objects.get(comment=comment)
    assert flag.is_detector and flag.is_open and flag.reason == "sectarian"
    queue = client_for(moderator).get("/moderation/?tab=reported").content.decode()
    assert f'id="card-{comment.pk}"' in queue
    assert '<mark class="finding"' in queue and finding.explanation[:30] in queue


def test_a_call_for_violence_is_held_and_hidden_from_other_readers(
    client, client_for, article, reader, moderator
):
    client_for(reader).post(
        f"/articles/{article.slug}/comment/", {"body": VIOLENT, "post_anyway": "1"}
    )
    comment = Comment.objects.get()
    assert (comment.status, comment.held_because) == ("pending", "detector")
    assert VIOLENT not in client.get(article.get_absolute_url()).content.decode()
    assert (
        "Awaiting moderation" in client_for(reader).get(article.get_absolute_url()).content.decode()
    )
    queue = client_for(moderator).get("/moderation/?tab=pending").content.decode()
    assert f'id="card-{comment.pk}"' in queue


def test_a_harmless_mention_posts_straight_away(client_for, article, reader):
    response = client_for(reader).post(f"/articles/{article.slug}/comment/", {"body": HARMLESS})
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.status == "published" and not comment.findings.exists()
    assert not Flag.objects.exists()


def test_editing_runs_the_detector_again(article, reader):
    comment = post(article, reader, "A calm first version.")
    services.comment_edit(comment=comment, body=VIOLENT, acting_user=reader)
    comment.refresh_from_db()
    assert comment.status == "pending"
    assert comment.findings.filter(is_current=True, rule="violence_call").exists()
    services.comment_edit(comment=comment, body="A calm second version.", acting_user=reader)
    assert not comment.findings.filter(is_current=True).exists()
    assert comment.findings.filter(is_current=False).count() == 1  # history is kept


def test_moderator_decisions_measure_each_rules_precision(client_for, article, reader, moderator):
    kept = post(article, reader, GENERALISING)
    removed = post(article, reader, "Every Shia is a liar.")
    staff = make_staff()
    moderation_services.comment_approve(comment=kept, acting_user=moderator)
    moderation_services.comment_reject(comment=removed, acting_user=moderator, reason="sectarian")
    assert set(Finding.objects.filter(comment=kept).values_list("verdict", flat=True)) == {"fp"}
    assert set(Finding.objects.filter(comment=removed).values_list("verdict", flat=True)) == {"tp"}
    html = client_for(staff).get("/moderation/detector/").content.decode()
    assert "collective_fate" in html and "universal_quantifier" in html
    assert client_for(moderator).get("/moderation/detector/").status_code == 403


def test_detect_command_prints_one_json_object_per_line(tmp_path):
    source = tmp_path / "lines.txt"
    source.write_text(f"{GENERALISING}\n{HARMLESS}\n", encoding="utf-8")
    out = io.StringIO()
    call_command("detect", str(source), stdout=out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["flagged"] for r in rows] == [True, False]
    assert set(rows[0]) == {"text", "flagged", "severity", "findings"}
    assert set(rows[0]["findings"][0]) >= {
        "start",
        "end",
        "match",
        "group",
        "category",
        "rule",
        "severity",
        "explanation",
    }


def _import_two(body_of_first=GENERALISING):
    thread = importing.ImportedThread(
        title="Imported",
        slug="imported",
        body="",
        comments=(
            importing.ImportedComment(key="1", parent_key=None, author="A", body=body_of_first),
            importing.ImportedComment(key="2", parent_key="1", author="B", body=HARMLESS),
        ),
    )
    return services.thread_import(thread=thread)


def test_importing_files_findings_and_a_flag_as_posting_does(article):
    _import_two()
    flagged = Comment.objects.get(body_raw=GENERALISING)
    assert flagged.status == Comment.Status.PUBLISHED
    assert flagged.open_flag_count == 1
    assert Flag.objects.filter(comment=flagged, is_detector=True, is_open=True).count() == 1
    assert [f.group for f in flagged.findings.all()]
    assert not Comment.objects.get(body_raw=HARMLESS).findings.exists()
    # In the moderator's Reported tab, as a posted comment with the same text would be.
    from moderation import selectors as moderation_selectors

    page = moderation_selectors.moderation_queue(moderation_selectors.QueueFilters(tab="reported"))
    assert [c.pk for c in page.cards] == [flagged.pk]


def test_scan_comments_files_flags_once(article):
    _import_two()
    Finding.objects.all().update(is_current=False)  # as if an older detector had found nothing
    first, second = io.StringIO(), io.StringIO()
    call_command("scan_comments", "--article", "imported", stdout=first)
    call_command("scan_comments", "--article", "imported", stdout=second)
    version = detection.DETECTOR_VERSION
    assert json.loads(first.getvalue()) == {"scanned": 2, "updated": 1, "detector_version": version}
    assert json.loads(second.getvalue()) == {
        "scanned": 2,
        "updated": 0,
        "detector_version": version,
    }
    assert Flag.objects.filter(is_detector=True).count() == 1
    assert set(
        Finding.objects.filter(is_current=True).values_list("detector_version", flat=True)
    ) == {version}


def test_rescanning_after_an_upgrade_stamps_the_new_version_and_files_nothing_twice(article):
    _import_two()
    Finding.objects.update(detector_version="0.9-old")
    flags, events = Flag.objects.count(), ModerationEvent.objects.count()
    out = io.StringIO()
    call_command("scan_comments", "--article", "imported", stdout=out)
    assert json.loads(out.getvalue())["updated"] == 0
    assert (Flag.objects.count(), ModerationEvent.objects.count()) == (flags, events)
    assert set(Finding.objects.values_list("detector_version", flat=True)) == {
        detection.DETECTOR_VERSION
    }


def test_staff_added_group_is_detected_without_a_restart(client_for):
    staff = make_staff(is_superuser=True)
    sentence = "All Zorblaxians are liars."
    assert not findings.run_detector(sentence).flagged
    response = client_for(staff).post(
        "/admin/moderation/detectorterm/add/",
        {
            "canonical": "Zorblaxians",
            "category": "ethnicity",
            "forms": "Zorblaxian\nZorblaxians",
            "created_at_0": "2026-01-01",
            "created_at_1": "00:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    result = findings.run_detector(sentence)
    assert result.flagged and result.findings[0].canonical == "Zorblaxians"


def test_rule_statistics_list_every_rule_including_the_learned_model(client_for):
    html = client_for(make_staff()).get("/moderation/detector/").content.decode()
    for rule in ("learned", "violence_call", "generic_plural"):
        assert f"<code>{rule}</code>" in html
    assert "No findings yet" not in html


def test_detect_command_on_an_unmigrated_database_says_to_migrate(tmp_path, monkeypatch):
    from django.core.management.base import CommandError
    from django.db import OperationalError

    from moderation.management.commands import detect as detect_command

    def missing_table():
        raise OperationalError("no such table: comments_detectorterm")

    monkeypatch.setattr(detect_command, "detector_extra_terms", missing_table)
    source = tmp_path / "lines.txt"
    source.write_text(f"{GENERALISING}\n", encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(CommandError, match="manage.py migrate"):
        call_command("detect", str(source), stdout=out)
    assert out.getvalue() == ""
