import pytest
from django.core.cache import cache

from core.roles import Role


@pytest.fixture(autouse=True)
def _fresh_cache():
    """allauth's rate limits and used-TOTP-code markers live in the cache: each test starts without them."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def antwerp_zone(reference_data):
    from geography.models import PoliceZone

    return PoliceZone.objects.current().get(code=5345)


@pytest.fixture
def antwerp(reference_data):
    from geography.models import Municipality

    return Municipality.objects.current().get(refnis="11002")


@pytest.fixture
def vesta(reference_data):
    from geography.models import Academy

    return Academy.objects.get(code="vesta")


@pytest.fixture
def invite(personas, django_capture_on_commit_callbacks):
    """Invite through the service as the ADVP persona, running the e-mail task as after a real commit."""
    from accounts.services import invitation_create

    def _invite(email="new.person@example.be", role=Role.ZONE_OFFICER, scope=None, language="nl", actor=None):
        with django_capture_on_commit_callbacks(execute=True):
            return invitation_create(
                actor=actor or personas.advp_admin, email=email, role=role, scope=scope, language=language
            )

    return _invite


@pytest.fixture
def english(personas):
    """The personas with English as their interface language, so assertions can read the messages."""
    from accounts.models import User

    people = list(personas.all().values())
    User.objects.filter(pk__in=[person.pk for person in people]).update(language="en")
    for person in people:
        person.language = "en"
    return personas
