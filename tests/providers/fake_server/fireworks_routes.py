"""Fake Fireworks control plane: datasets (multipart and signed-URL uploads), SFT jobs and
deployments under ``/v1/accounts/{account}``, with gRPC-style errors."""

from __future__ import annotations

import re
import secrets
from typing import Any

import orjson

from tests.providers.fake_server.fireworks_jobs import register_jobs
from tests.providers.fake_server.http_core import Call, FakeHTTPServer, Reply
from tests.providers.fake_server.state import FakeState, count_examples, now_rfc3339

ID = re.compile(r"^[a-z][a-z0-9-]{0,61}[a-z0-9]$")
GRPC_HTTP = {3: 400, 5: 404, 6: 409, 7: 403, 9: 400, 16: 401}
ACCT = r"/v1/accounts/(?P<account>[^/]+)"


def grpc(code: int, message: str) -> Reply:
    return Reply(GRPC_HTTP[code], {"code": code, "message": message, "details": []})


def _check_body(body: Any) -> str | None:
    """Contract: camelCase keys only and no nulls, at any depth."""
    if isinstance(body, dict):
        for key, value in body.items():
            if "_" in key:
                return f"unknown field {key!r} (camelCase expected)"
            if value is None:
                return f"field {key!r} is null; omit unset fields"
            problem = _check_body(value)
            if problem:
                return problem
    return None


def register(server: FakeHTTPServer, state: FakeState, base_url: str) -> None:
    """Add every Fireworks route to ``server``."""

    def guarded(handler: Any) -> Any:
        def wrapper(call: Call, **params: str) -> Reply:
            presented = call.headers.get("authorization", "")
            if not state.authorized("fireworks", presented):
                # Some gateways echo what they got; our client must redact it.
                return grpc(16, f"invalid API key {presented.removeprefix('Bearer ')!r}")
            if call.body and call.headers.get("content-type", "").startswith("application/json"):
                problem = _check_body(call.json())
                if problem:
                    return grpc(3, problem)
            return handler(call, **params)

        return wrapper

    def dataset_view(key: tuple[str, str]) -> dict[str, Any]:
        return dict(state.datasets[key])

    def create_dataset(call: Call, account: str) -> Reply:
        body = call.json() or {}
        dataset_id = body.get("datasetId", "")
        dataset = body.get("dataset") or {}
        if not ID.match(dataset_id):
            return grpc(3, f"invalid dataset id {dataset_id!r}")
        count = dataset.get("exampleCount")
        if count is not None and not isinstance(count, str):
            return grpc(3, "exampleCount is int64 and must be sent as a string")
        key = (account, dataset_id)
        if key in state.datasets:
            return grpc(6, f"dataset accounts/{account}/datasets/{dataset_id} already exists")
        state.datasets[key] = {
            "name": f"accounts/{account}/datasets/{dataset_id}",
            "displayName": dataset.get("displayName", ""),
            "exampleCount": count or "0",
            "userUploaded": {},
            "format": "CHAT",
            "state": "UPLOADING",
            "createTime": now_rfc3339(),
        }
        return Reply(200, dataset_view(key))

    def get_dataset(call: Call, account: str, dataset_id: str) -> Reply:
        key = (account, dataset_id)
        if key not in state.datasets:
            return grpc(5, f"dataset accounts/{account}/datasets/{dataset_id} not found")
        if key in state.dataset_gets_until_ready:
            state.dataset_gets_until_ready[key] -= 1
            if state.dataset_gets_until_ready[key] <= 0:
                del state.dataset_gets_until_ready[key]
                lines = count_examples(state.dataset_content[key])
                reported = state.report_example_count
                state.datasets[key]["exampleCount"] = str(reported if reported else lines)
                state.datasets[key]["state"] = "READY"
        return Reply(200, dataset_view(key))

    def list_datasets(call: Call, account: str) -> Reply:
        names = sorted(key for key in state.datasets if key[0] == account)
        return page(call, "datasets", [dataset_view(key) for key in names])

    def delete_dataset(call: Call, account: str, dataset_id: str) -> Reply:
        if state.datasets.pop((account, dataset_id), None) is None:
            return grpc(5, "dataset not found")
        return Reply(200, {})

    def start_processing(key: tuple[str, str], content: bytes) -> None:
        state.dataset_content[key] = content
        state.dataset_gets_until_ready[key] = state.ready_after_gets

    def upload(call: Call, account: str, dataset_id: str) -> Reply:
        key = (account, dataset_id)
        if key not in state.datasets:
            return grpc(5, "dataset not found")
        fields = call.form()
        if "file" not in fields or not fields["file"][0]:
            return grpc(3, "multipart field 'file' with a filename is required")
        filename, content = fields["file"]
        bad = _bad_line(content)
        if bad:
            return grpc(3, bad)
        start_processing(key, content)
        return Reply(200, {"id": dataset_id, "bytes": len(content), "filename": filename})

    def get_upload_endpoint(call: Call, account: str, dataset_id: str) -> Reply:
        key = (account, dataset_id)
        if key not in state.datasets:
            return grpc(5, "dataset not found")
        sizes = (call.json() or {}).get("filenameToSize") or {}
        urls = {}
        for name, size in sizes.items():
            if not isinstance(size, str) or name != name.lower():
                return grpc(3, "filenameToSize wants lowercase names and sizes as strings")
            token = secrets.token_hex(8)
            state.signed_uploads[token] = (key, int(size))
            urls[name] = f"{base_url}/signed/{token}?X-Goog-Signature=fake&X-Goog-Expires=3600"
        return Reply(200, {"filenameToSignedUrls": urls})

    def signed_put(call: Call, token: str) -> Reply:
        if token not in state.signed_uploads:
            return Reply(403, raw=b"<Error><Code>ExpiredToken</Code></Error>")
        key, size = state.signed_uploads[token]
        if "authorization" in call.headers:
            return Reply(400, raw=b"<Error><Code>InvalidAuthorization</Code></Error>")
        if call.headers.get("content-type") != "application/octet-stream":
            return Reply(403, raw=b"<Error><Code>SignatureDoesNotMatch</Code></Error>")
        if call.headers.get("x-goog-content-length-range") != f"{size},{size}":
            return Reply(403, raw=b"<Error><Code>SignatureDoesNotMatch</Code></Error>")
        if len(call.body) != size:
            return Reply(400, raw=b"<Error><Code>EntityTooSmallOrLarge</Code></Error>")
        state.dataset_content[key] = call.body
        return Reply(200, raw=b"")

    def validate_upload(call: Call, account: str, dataset_id: str) -> Reply:
        key = (account, dataset_id)
        if key not in state.dataset_content:
            return grpc(9, "no uploaded file to validate")
        start_processing(key, state.dataset_content[key])
        return Reply(200, {})

    def page(call: Call, field_name: str, items: list[dict[str, Any]]) -> Reply:
        size = min(int(call.query.get("pageSize") or state.page_size), state.page_size)
        start = int(call.query.get("pageToken") or 0)
        chunk = items[start : start + size]
        token = str(start + size) if start + size < len(items) else ""
        return Reply(200, {field_name: chunk, "nextPageToken": token, "totalSize": len(items)})

    prefix = ACCT + "/datasets"
    one = prefix + r"/(?P<dataset_id>[^/:]+)"
    server.route("POST", prefix, guarded(create_dataset))
    server.route("GET", prefix, guarded(list_datasets))
    server.route("GET", one, guarded(get_dataset))
    server.route("DELETE", one, guarded(delete_dataset))
    server.route("POST", one + ":upload", guarded(upload))
    server.route("POST", one + ":getUploadEndpoint", guarded(get_upload_endpoint))
    server.route("POST", one + ":validateUpload", guarded(validate_upload))
    server.route("PUT", r"/signed/(?P<token>[0-9a-f]+)", signed_put)
    register_jobs(server, state, guarded, page, grpc)


def _bad_line(content: bytes) -> str | None:
    for number, line in enumerate(content.splitlines(), 1):
        try:
            record = orjson.loads(line)
        except orjson.JSONDecodeError:
            return f"line {number}: not valid JSON"
        if not isinstance(record, dict) or not isinstance(record.get("messages"), list):
            return f"line {number}: no messages list"
    return None
