"""Fireworks dataset uploads against the fake server: paths, idempotence, resume, faults."""

from __future__ import annotations

import re
import sqlite3

import pytest

from core.providers import ProviderError, open_provider, records
from core.providers.exports import dataset_id_for, load_manifest
from core.providers.settings import ProviderSettings
from core.providers.workflow import upload_export
from tests.providers.conftest import ExportFactory, assert_requests_keep_keys_in_auth_only
from tests.providers.fake_server import FakeProviderServer

ID_RULE = re.compile(r"^[a-z][a-z0-9-]{0,61}[a-z0-9]$")


def _upload(conn, settings, env, export, **kwargs):
    client = open_provider("fireworks", settings, env)
    try:
        return upload_export(conn, client, export, **kwargs)
    finally:
        client.close()


def test_small_file_uses_multipart_upload_and_polls_until_ready(
    fake_server: FakeProviderServer, settings, env, conn, make_export: ExportFactory
) -> None:
    export = make_export({"planning": 12, "extraction": 5})
    fake_server.state.ready_after_gets = 3

    uploaded = _upload(conn, settings, env, export)

    assert [u.path for u in uploaded] == ["planning/train.jsonl", "extraction/train.jsonl"]
    assert {u.outcome for u in uploaded} == {"uploaded"}
    creates = fake_server.calls_to("POST", "/v1/accounts/demo/datasets")
    creates = [c for c in creates if c.path.endswith("/datasets")]
    for call, expected in zip(creates, (12, 5), strict=True):
        body = call.json()
        assert ID_RULE.match(body["datasetId"])
        assert body["dataset"]["exampleCount"] == str(expected)
        assert body["dataset"]["userUploaded"] == {}
    uploads = fake_server.calls_to("POST", ":upload")
    assert len(uploads) == 2
    assert uploads[0].headers["content-type"].startswith("multipart/form-data")
    assert b'name="file"; filename="train.jsonl"' in uploads[0].body
    assert not fake_server.calls_to("POST", ":getUploadEndpoint")
    gets = fake_server.calls_to("GET", uploaded[0].dataset_id)
    assert len(gets) >= 3  # polled until READY
    assert uploaded[0].dataset_ref == f"accounts/demo/datasets/{uploaded[0].dataset_id}"
    assert_requests_keep_keys_in_auth_only(fake_server)


def test_large_file_goes_through_signed_urls_without_the_key(
    fake_server: FakeProviderServer, env, conn, make_export: ExportFactory
) -> None:
    export = make_export({"planning": 4}, pad=600)
    settings = ProviderSettings(delay_scale=0.001, upload_threshold_bytes=1000)

    [uploaded] = _upload(conn, settings, env, export)

    assert uploaded.outcome == "uploaded"
    assert not fake_server.calls_to("POST", ":upload")
    [endpoint] = fake_server.calls_to("POST", ":getUploadEndpoint")
    size = (export / "planning/train.jsonl").stat().st_size
    assert endpoint.json() == {"filenameToSize": {"train.jsonl": str(size)}}
    [put] = fake_server.calls_to("PUT", "/signed/")
    assert "authorization" not in put.headers
    assert put.headers["content-type"] == "application/octet-stream"
    assert put.headers["x-goog-content-length-range"] == f"{size},{size}"
    assert len(put.body) == size
    [validate] = fake_server.calls_to("POST", ":validateUpload")
    assert validate.json() == {}
    paths = [c.path for c in fake_server.calls]
    assert paths.index(put.path) < paths.index(validate.path)
    assert_requests_keep_keys_in_auth_only(fake_server)


def test_signed_put_dropped_mid_upload_is_retried_whole(
    fake_server: FakeProviderServer, env, conn, make_export: ExportFactory
) -> None:
    export = make_export({"planning": 4}, pad=600)
    settings = ProviderSettings(delay_scale=0.001, upload_threshold_bytes=1000)
    fake_server.fail(r"^/signed/", method="PUT", status=0, read_bytes=500, times=1)

    [uploaded] = _upload(conn, settings, env, export)

    [put] = fake_server.calls_to("PUT", "/signed/")  # the dropped attempt was never recorded
    assert put.body == (export / "planning/train.jsonl").read_bytes()
    assert uploaded.outcome == "uploaded"


def test_second_upload_of_same_export_reuses_the_dataset(
    fake_server: FakeProviderServer, settings, env, conn, make_export: ExportFactory
) -> None:
    export = make_export({"planning": 12})
    first = _upload(conn, settings, env, export)
    uploads_before = len(fake_server.calls_to("POST", ":upload"))

    second = _upload(conn, settings, env, export)

    assert second[0].outcome == "reused"
    assert second[0].dataset_id == first[0].dataset_id
    assert len(fake_server.calls_to("POST", ":upload")) == uploads_before
    statuses = [c for c in fake_server.calls if c.path.endswith("/datasets")]
    assert len(statuses) == 2  # the second create answered 409 and was resolved by GET


def test_409_on_a_dataset_with_a_different_count_is_an_error(
    fake_server: FakeProviderServer, settings, env, conn, make_export: ExportFactory
) -> None:
    export = make_export({"planning": 12})
    manifest = load_manifest(export)
    dataset_id = dataset_id_for(manifest, manifest.files[0])
    fake_server.state.datasets[("demo", dataset_id)] = {
        "name": f"accounts/demo/datasets/{dataset_id}",
        "exampleCount": "99",
        "state": "READY",
    }
    with pytest.raises(ProviderError, match="already exists with 99 examples"):
        _upload(conn, settings, env, export)


def test_upload_interrupted_by_dropped_connections_resumes_on_rerun(
    fake_server: FakeProviderServer, settings, env, conn, make_export: ExportFactory
) -> None:
    export = make_export({"planning": 12})
    fake_server.fail(r":upload$", method="POST", status=0, read_bytes=100, times=3)

    with pytest.raises(ProviderError, match="no answer from 127.0.0.1 after 3 attempts"):
        _upload(conn, settings, env, export)
    [row] = records.list_uploads(conn)
    assert row.phase == "created"
    assert "no answer" in row.error

    [resumed] = _upload(conn, settings, env, export)

    assert resumed.outcome == "resumed"
    assert records.list_uploads(conn)[0].phase == "ready"
    assert len(fake_server.calls_to("POST", ":upload")) == 1  # dropped ones never completed


def test_one_dropped_connection_mid_upload_is_retried(
    fake_server: FakeProviderServer, settings, env, conn, make_export: ExportFactory
) -> None:
    export = make_export({"planning": 12})
    fake_server.fail(r":upload$", method="POST", status=0, read_bytes=50, times=1)

    [uploaded] = _upload(conn, settings, env, export)

    assert uploaded.outcome == "uploaded"
    content = fake_server.state.dataset_content[("demo", uploaded.dataset_id)]
    assert content == (export / "planning/train.jsonl").read_bytes()


def test_upload_stopped_while_processing_resumes_by_polling_only(
    fake_server: FakeProviderServer, env, conn, make_export: ExportFactory
) -> None:
    export = make_export({"planning": 12})
    fake_server.state.ready_after_gets = 1000
    impatient = ProviderSettings(delay_scale=0.0001, ready_timeout_seconds=0.05)
    with pytest.raises(ProviderError, match="still UPLOADING"):
        _upload(conn, impatient, env, export)
    assert records.list_uploads(conn)[0].phase == "sent"
    fake_server.state.dataset_gets_until_ready = dict.fromkeys(
        fake_server.state.dataset_gets_until_ready, 2
    )

    [resumed] = _upload(conn, impatient, env, export)

    assert resumed.outcome == "resumed"
    assert len(fake_server.calls_to("POST", ":upload")) == 1  # bytes were not sent twice


def test_reported_count_must_match_the_file(
    fake_server: FakeProviderServer, settings, env, conn, make_export: ExportFactory
) -> None:
    export = make_export({"planning": 12})
    fake_server.state.report_example_count = 11
    with pytest.raises(ProviderError, match="READY with 11 examples, expected 12"):
        _upload(conn, settings, env, export)


@pytest.mark.parametrize("status", [429, 500, 503])
def test_transient_statuses_are_retried(
    status: int, fake_server: FakeProviderServer, settings, env, conn, make_export: ExportFactory
) -> None:
    export = make_export({"planning": 12})
    fake_server.fail(r"/datasets$", method="POST", status=status, payload={"code": 14}, times=2)

    [uploaded] = _upload(conn, settings, env, export)

    assert uploaded.outcome == "uploaded"
    assert len([c for c in fake_server.calls if c.path.endswith("/datasets")]) == 3


def test_persistent_503_surfaces_the_provider_message(
    fake_server: FakeProviderServer, settings, env, conn, make_export: ExportFactory
) -> None:
    export = make_export({"planning": 12})
    payload = {"code": 14, "message": "backend unavailable", "details": []}
    fake_server.fail(r"/datasets$", method="POST", status=503, payload=payload, times=5)
    with pytest.raises(ProviderError) as caught:
        _upload(conn, settings, env, export)
    assert str(caught.value) == (
        "fireworks: HTTP 503 UNAVAILABLE: backend unavailable — "
        "the provider is having trouble; retry later"
    )


def test_wrong_key_is_a_clear_401(
    fake_server: FakeProviderServer, settings, env, conn: sqlite3.Connection, make_export
) -> None:
    export = make_export({"planning": 12})
    bad = dict(env, FIREWORKS_API_KEY="fw-wrong-key-000")
    with pytest.raises(ProviderError) as caught:
        _upload(conn, settings, bad, export)
    assert caught.value.status == 401
    assert str(caught.value) == (
        "fireworks: HTTP 401 UNAUTHENTICATED: invalid API key '[redacted]' — "
        "the key in FIREWORKS_API_KEY was rejected: check it"
    )
    assert "fw-wrong-key-000" not in caught.value.raw_body


def test_too_few_examples_is_refused_before_sending(
    fake_server: FakeProviderServer, settings, env, conn, make_export: ExportFactory
) -> None:
    export = make_export({"planning": 2})
    with pytest.raises(ProviderError, match="Fireworks needs 3"):
        _upload(conn, settings, env, export)
    assert not fake_server.calls
