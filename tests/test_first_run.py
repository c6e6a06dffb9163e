"""What a newcomer meets first: the JSON index, the schema in a browser, ReDoc, the logs, `make run`."""

import json
import logging
import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.mark.parametrize("path", ["/", "/api/"])
def test_index_is_public_json_naming_the_docs(anon, path):
    response = anon.get(path)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body == {
        "name": settings.SPECTACULAR_SETTINGS["TITLE"],
        "version": settings.SPECTACULAR_SETTINGS["VERSION"],
        "docs": "http://testserver/api/docs/",
        "schema": "http://testserver/api/schema/",
        "fhir": "http://testserver/fhir/R4/",
    }


def test_admin_view_site_leads_to_the_index(staff_client):
    page = staff_client.get("/admin/").content.decode()

    assert 'href="/"' in page


def test_schema_shows_as_json_to_a_browser(anon):
    response = anon.get("/api/schema/", HTTP_ACCEPT=BROWSER_ACCEPT)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert json.loads(response.content)["openapi"].startswith("3.")


def test_schema_format_json_and_yaml_for_tools(anon):
    as_json = anon.get("/api/schema/?format=json")
    as_yaml = anon.get("/api/schema/")

    assert as_json["Content-Type"].startswith("application/vnd.oai.openapi+json")
    assert json.loads(as_json.content)["info"]["title"] == settings.SPECTACULAR_SETTINGS["TITLE"]
    assert as_yaml["Content-Type"].startswith("application/vnd.oai.openapi")
    assert as_yaml.content.startswith(b"openapi:")


def test_redoc_page_names_no_other_origin_and_forbids_fetching_one(anon):
    response = anon.get("/api/redoc/")
    page = response.content.decode()

    assert "fonts.googleapis" not in page and "fonts.gstatic" not in page
    assert re.findall(r"""(?:src|href)=["']https?://""", page) == []
    assert "/static/drf_spectacular_sidecar/redoc/" in page
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "img-src 'self' data:" in policy


def test_a_django_warning_reaches_one_handler_once(caplog):
    """`django.*` records go to the root's console handler only, not to Django's own too."""
    django_logger = logging.getLogger("django.request")
    handlers = []
    logger = django_logger
    while logger is not None:
        handlers += logger.handlers
        logger = logger.parent if logger.propagate else None
    console = [h for h in handlers if isinstance(h, logging.StreamHandler)
               and not isinstance(h, logging.FileHandler) and type(h).__name__ != "LogCaptureHandler"
               and type(h).__name__ != "_LiveLoggingNullHandler"]
    assert len(console) == 1


def test_make_run_serves_on_the_port_given():
    dry_run = subprocess.run(
        ["make", "-n", "run", "PORT=18642"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout

    assert "runserver 127.0.0.1:18642" in dry_run
    assert "http://127.0.0.1:18642/api/docs/" in dry_run
