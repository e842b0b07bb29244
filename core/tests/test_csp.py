"""The Content Security Policy: scripts and styles only from the site itself or carrying this response's nonce."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_it_sends_a_fresh_nonce_that_the_page_scripts_carry(client):
    first = client.get("/find/")
    second = client.get("/find/")
    policy = first.headers["Content-Security-Policy"]
    [nonce] = set(re.findall(r"script-src 'self' 'nonce-([^']+)'", policy))
    assert f"style-src 'self' 'nonce-{nonce}'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    scripts = re.findall(r"<script[^>]*>", first.content.decode())
    assert scripts and all(f'nonce="{nonce}"' in tag for tag in scripts)
    assert nonce not in second.headers["Content-Security-Policy"]
