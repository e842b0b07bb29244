"""Lockout is owned by allauth's rate limits (ACCOUNT_RATE_LIMITS["login_failed"]), kept in the cache."""

import pytest
from django.urls import reverse

from core.testing.personas import PASSWORD

pytestmark = pytest.mark.django_db

LOCKED = "Too many failed login attempts. Try again later."


@pytest.fixture
def client_en(client):
    client.cookies["binplp_language"] = "en"
    return client


def login(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_after_five_failures_the_right_password_is_refused(client_en, personas):
    email = personas.member.email
    for _attempt in range(5):
        response = login(client_en, email, "wrong-password")
        assert response.status_code == 200
        assert LOCKED not in response.content.decode()
    response = login(client_en, email, PASSWORD)
    assert response.status_code == 200
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client_en.session

    # Another account from the same address is not locked out.
    response = login(client_en, personas.outsider.email, PASSWORD)
    assert response.status_code == 302
    assert int(client_en.session["_auth_user_id"]) == personas.outsider.pk


def test_the_lock_is_per_account_whatever_the_letter_case(client_en, personas):
    email = personas.member.email
    for _attempt in range(5):
        login(client_en, email.upper(), "wrong-password")
    assert LOCKED in login(client_en, email, PASSWORD).content.decode()


def test_fewer_failures_do_not_lock(client_en, personas):
    for _attempt in range(4):
        login(client_en, personas.member.email, "wrong-password")
    assert login(client_en, personas.member.email, PASSWORD).status_code == 302


def test_every_settings_module_has_a_working_cache():
    import importlib

    for name in ("config.settings.base", "config.settings.dev", "config.settings.test"):
        caches = importlib.import_module(name).CACHES
        assert caches["default"]["BACKEND"] in {
            "django.core.cache.backends.db.DatabaseCache",
            "django.core.cache.backends.locmem.LocMemCache",
            "django.core.cache.backends.redis.RedisCache",
        }


def test_migrate_creates_the_database_cache_table(settings):
    """The post_migrate handler runs createcachetable, so DatabaseCache works right after `migrate`."""
    from django.core.cache import caches
    from django.db import connection

    from accounts.signals import create_cache_table

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "binplp_test_cache"}
    }
    try:
        from django.apps import apps

        create_cache_table(sender=None, app_config=apps.get_app_config("accounts"), using="default")
        assert "binplp_test_cache" in connection.introspection.table_names()
        caches["default"].set("k", "v")
        assert caches["default"].get("k") == "v"
    finally:
        caches["default"].close()
