"""With AWS_STORAGE_BUCKET_NAME set, rosters, partners' letters and rendered reports live in an
S3-compatible object store (a real server, see conftest.py), never on the web process's disk,
and are served only through the app's views that check who is asking."""

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage, storages
from django.urls import reverse
from django.utils import timezone

from bargaining.models import PublishedReport
from bargaining.report import store_public_reports
from campaigns import tasks as campaign_tasks
from campaigns.models import ImportBatch, Member
from partners.models import Support
from tests.bargaining import factories as bf
from tests.campaigns.factories import roster_csv
from tests.campaigns.test_import import row, run_import, upload
from tests.partners.factories import PDF
from tests.partners.test_views import support_data

pytestmark = pytest.mark.django_db


def files_on_disk(tmp_path) -> list:
    return [path for path in tmp_path.rglob("*") if path.is_file()]


def test_an_uploaded_roster_goes_to_the_private_part_of_the_bucket_and_is_imported_from_it(
    cast, object_store, tmp_path, django_capture_on_commit_callbacks
):
    client = cast.client_for("leader")
    response = upload(client, roster_csv([row(1)]))
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert object_store.keys() == [f"private/{batch.file.name}"]
    assert b"Given1" in object_store.read(f"private/{batch.file.name}")
    assert files_on_disk(tmp_path) == []
    ImportBatch.objects.all().delete()
    object_store.empty()

    with django_capture_on_commit_callbacks(execute=True):
        batch, _preview, response = run_import(cast, roster_csv([row(1), row(2)]))
    assert response.status_code == 302
    assert Member.objects.filter(local=cast.local).count() == 2
    # Imported: the personal data is gone from the bucket too.
    assert object_store.keys() == []
    assert files_on_disk(tmp_path) == []


def test_an_abandoned_roster_is_purged_from_the_bucket(cast, object_store):
    upload(cast.client_for("leader"), roster_csv([row(1)]))
    ImportBatch.objects.update(created_at=timezone.now() - timedelta(days=2))
    assert len(object_store.keys("private/rosters/")) == 1
    assert campaign_tasks.purge_abandoned_imports() == 1
    assert object_store.keys() == []


@pytest.mark.parametrize(
    "who,status",
    [
        ("leader", 200),
        ("partner_x", 200),
        ("partner_y", 404),
        ("other_leader", 404),
        ("anonymous", 302),
    ],
)
def test_a_partner_letter_is_stored_privately_and_streamed_only_to_people_allowed(
    cast, object_store, tmp_path, who, status
):
    response = cast.client_for("partner_x").post(
        reverse("partners:support_create", args=[cast.organisation_x.pk]), support_data(cast, PDF)
    )
    assert response.status_code == 302
    support = Support.objects.get()
    assert object_store.keys() == [f"private/{support.document.name}"]
    assert object_store.read(f"private/{support.document.name}") == PDF
    assert files_on_disk(tmp_path) == []
    response = cast.client_for(who).get(support.get_document_url())
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"


def test_the_public_report_is_rendered_into_the_bucket_and_downloaded_through_the_app(
    cast, client, object_store, tmp_path
):
    bf.make_public_page(cast.campaign)
    response = client.get(reverse("open:report", args=[cast.campaign.slug]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF")
    report = PublishedReport.objects.get(language="en")
    assert object_store.read(f"media/{report.file.name}") == body
    assert files_on_disk(tmp_path) == []


def test_a_re_rendered_report_replaces_the_old_object(
    cast, client, object_store, django_capture_on_commit_callbacks
):
    bf.make_public_page(cast.campaign)
    with django_capture_on_commit_callbacks(execute=True):
        store_public_reports(cast.campaign)
    first = set(object_store.keys("media/"))
    assert len(first) == 2  # One report per language.
    bf.make_session(cast.campaign)
    cast.campaign.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        store_public_reports(cast.campaign, force=True)
    second = set(object_store.keys("media/"))
    assert len(second) == 2 and not first & second


def test_private_files_have_no_public_url_and_the_bucket_refuses_anonymous_requests(
    cast, object_store
):
    cast.client_for("partner_x").post(
        reverse("partners:support_create", args=[cast.organisation_x.pk]), support_data(cast, PDF)
    )
    upload(cast.client_for("leader"), roster_csv([row(1)]))
    bf.make_public_page(cast.campaign)
    store_public_reports(cast.campaign)
    support = Support.objects.get()
    batch = ImportBatch.objects.get()
    report = PublishedReport.objects.get(language="en")
    with pytest.raises(ValueError):
        support.document.url  # noqa: B018
    with pytest.raises(ValueError):
        batch.file.url  # noqa: B018
    with pytest.raises(ValueError):
        storages["private"].url(support.document.name)
    keys = object_store.keys()
    assert len(keys) == 4
    # The bucket is not public: the plain URL of every object, private or not, is refused.
    for key in keys:
        assert object_store.anonymous_get(key) == 403, key
    # The reports' storage gives only signed URLs, valid for five minutes.
    signed = default_storage.url(report.file.name)
    assert "Signature=" in signed or "X-Amz-Signature=" in signed
    assert default_storage.querystring_expire == 300
