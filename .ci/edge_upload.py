"""Microsoft Edge Add-ons: upload a package as the draft of an existing product, then publish
the draft (it goes into Microsoft's review). Run by the release workflow's `stores` job:

    EDGE_PRODUCT_ID=… EDGE_CLIENT_ID=… EDGE_API_KEY=… python3 .ci/edge_upload.py PACKAGE.zip NOTES

The Update REST API v1.1 (learn.microsoft.com, microsoft-edge/extensions-chromium/publish/api/
addons-api-reference): POST the zip to /v1/products/{id}/submissions/draft/package and poll
…/draft/package/operations/{operation} until it is no longer InProgress; POST
/v1/products/{id}/submissions with notes and poll …/submissions/operations/{operation}. Every
request carries "Authorization: ApiKey <key>" and "X-ClientID: <client id>". The key comes from
the environment and is never printed. EDGE_API_ROOT and EDGE_POLL_SECONDS are for the tests.
"""

from __future__ import annotations

import json
import os
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

API_ROOT = "https://api.addons.microsoftedge.microsoft.com"
SECRETS = ("EDGE_PRODUCT_ID", "EDGE_CLIENT_ID", "EDGE_API_KEY")
POLLS = 60  # at most ten minutes at the default ten seconds


class UploadFailed(Exception):
    """The store said no, or did not answer as documented."""


def request(url: str, data: bytes | None = None, content_type: str = "") -> tuple[dict, dict]:
    """One request with the API key; the response's headers and JSON body (empty when none)."""
    headers = {
        "Authorization": f"ApiKey {os.environ['EDGE_API_KEY']}",
        "X-ClientID": os.environ["EDGE_CLIENT_ID"],
    }
    if content_type:
        headers["Content-Type"] = content_type
    method = "POST" if data is not None else "GET"
    call = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(call, timeout=120) as response:
            body = response.read()
            return dict(response.headers), json.loads(body) if body.strip() else {}
    except urllib.error.HTTPError as error:
        raise UploadFailed(f"{method} {url}: HTTP {error.code}: {error.read()[:500]!r}") from None
    except (urllib.error.URLError, json.JSONDecodeError) as error:
        raise UploadFailed(f"{method} {url}: {error}") from None


def operation(headers: dict) -> str:
    """The operation id of a 202 answer's Location header (an id, or a path ending in one)."""
    location = next((v for k, v in headers.items() if k.lower() == "location"), "")
    if not location.strip():
        raise UploadFailed("the store answered without an operation id (no Location header)")
    return location.strip().rstrip("/").rsplit("/", 1)[-1]


def wait_for(url: str, what: str) -> None:
    """Polls an operation until it is no longer InProgress; UploadFailed unless it Succeeded."""
    pause = float(os.environ.get("EDGE_POLL_SECONDS", "10"))
    for _ in range(POLLS):
        _, status = request(url)
        if status.get("status") != "InProgress":
            break
        time.sleep(pause)
    said = [str(status.get("status")), status.get("message") or ""]
    print(f"{what}: " + ": ".join(part for part in said if part))
    if status.get("status") != "Succeeded":
        raise UploadFailed(f"{what}: {json.dumps(status.get('errors'))}")


def upload_and_publish(package: Path, notes: str) -> None:
    api = f"{os.environ.get('EDGE_API_ROOT', API_ROOT)}/v1/products/"
    submissions = f"{api}{os.environ['EDGE_PRODUCT_ID']}/submissions"
    headers, _ = request(f"{submissions}/draft/package", package.read_bytes(), "application/zip")
    wait_for(
        f"{submissions}/draft/package/operations/{operation(headers)}", f"upload of {package.name}"
    )
    body = json.dumps({"notes": notes}).encode()
    headers, _ = request(submissions, body, "application/json")
    wait_for(f"{submissions}/operations/{operation(headers)}", "publish")


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: edge_upload.py PACKAGE.zip NOTES", file=sys.stderr)
        return 2
    missing = [name for name in SECRETS if not os.environ.get(name)]
    package = Path(argv[0])
    try:
        if missing:
            raise UploadFailed(f"{missing[0]} is not set")
        if not package.is_file():
            raise UploadFailed(f"{package}: no such file")
        upload_and_publish(package, argv[1])
    except UploadFailed as error:
        print(f"edge_upload.py: error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
