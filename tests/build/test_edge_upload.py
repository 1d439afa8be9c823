""".ci/edge_upload.py against a fake of Microsoft Edge Add-ons' Update REST API v1.1: it uploads
the package as the draft, waits for the upload, publishes, waits for that, with the API key
and client id in the documented headers and never in its output; a failed upload stops it
with the store's errors in one line."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / ".ci" / "edge_upload.py"
PRODUCT = "d34f98f5-f9b7-42b1-bebb-98707202b21d"
KEY = "the-api-key-0123456789"
CLIENT = "the-client-id"
BASE = f"/v1/products/{PRODUCT}/submissions"


class FakeEdge(ThreadingHTTPServer):
    def __init__(self, upload_result: str) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.upload_result = upload_result
        self.requests: list[tuple[str, str, dict[str, str], bytes]] = []
        self.polls = 0


class Handler(BaseHTTPRequestHandler):
    server: FakeEdge

    def log_message(self, *args: object) -> None:
        pass

    def record(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        self.server.requests.append((self.command, self.path, dict(self.headers), body))
        return body

    def answer(self, code: int, body: dict | None = None, location: str = "") -> None:
        data = json.dumps(body).encode() if body is not None else b""
        self.send_response(code)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def authorized(self) -> bool:
        return (
            self.headers.get("Authorization") == f"ApiKey {KEY}"
            and self.headers.get("X-ClientID") == CLIENT
        )

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        self.record()
        if not self.authorized():
            self.answer(401, {"message": "unauthorized"})
        elif self.path == f"{BASE}/draft/package":
            self.answer(202, location="upload-1")
        elif self.path == BASE:
            self.answer(202, location="publish-1")
        else:
            self.answer(404, {"message": self.path})

    def do_GET(self) -> None:  # noqa: N802
        self.record()
        if self.path == f"{BASE}/draft/package/operations/upload-1":
            self.server.polls += 1
            status = "InProgress" if self.server.polls == 1 else self.server.upload_result
            errors = [{"message": "The manifest is not valid."}] if status == "Failed" else None
            self.answer(200, {"status": status, "message": None, "errors": errors})
        elif self.path == f"{BASE}/operations/publish-1":
            self.answer(200, {"status": "Succeeded", "message": "Submitted.", "errors": None})
        else:
            self.answer(404, {"message": self.path})


def serve(upload_result: str) -> Iterator[FakeEdge]:
    server = FakeEdge(upload_result)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def edge() -> Iterator[FakeEdge]:
    yield from serve("Succeeded")


@pytest.fixture
def failing_edge() -> Iterator[FakeEdge]:
    yield from serve("Failed")


def upload(server: FakeEdge, package: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        "PATH": "/usr/bin:/bin",
        "EDGE_API_ROOT": f"http://127.0.0.1:{server.server_address[1]}",
        "EDGE_POLL_SECONDS": "0.05",
        "EDGE_PRODUCT_ID": PRODUCT,
        "EDGE_CLIENT_ID": CLIENT,
        "EDGE_API_KEY": KEY,
        **env,
    }
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(package), "linkedin-ai-optout v1.2.3"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def package(tmp_path: Path) -> Path:
    path = tmp_path / "linkedin-ai-optout-1.2.3-chrome.zip"
    path.write_bytes(b"PK\x05\x06" + bytes(18))
    return path


def test_uploads_the_package_then_publishes_it(edge: FakeEdge, package: Path) -> None:
    result = upload(edge, package)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"upload of {package.name}: Succeeded",
        "publish: Succeeded: Submitted.",
    ]
    calls = [(method, path) for method, path, _, _ in edge.requests]
    assert calls == [
        ("POST", f"{BASE}/draft/package"),
        ("GET", f"{BASE}/draft/package/operations/upload-1"),
        ("GET", f"{BASE}/draft/package/operations/upload-1"),
        ("POST", BASE),
        ("GET", f"{BASE}/operations/publish-1"),
    ]
    _, _, headers, body = edge.requests[0]
    assert body == package.read_bytes()
    assert headers["Content-Type"] == "application/zip"
    assert json.loads(edge.requests[3][3]) == {"notes": "linkedin-ai-optout v1.2.3"}
    assert KEY not in result.stdout + result.stderr


def test_a_failed_upload_stops_before_publishing(failing_edge: FakeEdge, package: Path) -> None:
    result = upload(failing_edge, package)
    assert result.returncode == 1
    assert result.stderr == (
        f"edge_upload.py: error: upload of {package.name}: "
        '[{"message": "The manifest is not valid."}]\n'
    )
    assert ("POST", BASE) not in [(m, p) for m, p, _, _ in failing_edge.requests]


def test_a_wrong_key_is_one_line_without_the_key(edge: FakeEdge, package: Path) -> None:
    result = upload(edge, package, EDGE_API_KEY="another-key-9876")
    assert result.returncode == 1
    assert result.stderr.startswith("edge_upload.py: error: POST http://127.0.0.1:")
    assert "HTTP 401" in result.stderr and len(result.stderr.splitlines()) == 1
    assert "another-key-9876" not in result.stdout + result.stderr


def test_a_missing_secret_is_named(edge: FakeEdge, package: Path) -> None:
    result = upload(edge, package, EDGE_CLIENT_ID="")
    assert result.returncode == 1
    assert result.stderr == "edge_upload.py: error: EDGE_CLIENT_ID is not set\n"
    assert edge.requests == []
