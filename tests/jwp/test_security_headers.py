"""Pages load nothing from elsewhere and cannot be framed."""

import pytest

pytestmark = pytest.mark.django_db


def test_pages_send_a_strict_content_security_policy(client, county, make_member):
    client.force_login(make_member(county))
    response = client.get(f"/{county.slug}/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "style-src 'self';" in policy + ";"  # no inline styles on our own pages
    assert response["X-Frame-Options"] == "DENY"


def test_only_the_api_docs_allow_swagger_uis_inline_style(client, db):
    policy = client.get("/api/docs/")["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in policy
    assert "script-src 'self'" in policy
