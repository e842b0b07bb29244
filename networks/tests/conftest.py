"""Fixtures of the networks tests, gathered from each area's fixture module so test modules need not import them
(an imported fixture used as an argument reads as a redefinition to linters). Add your module's line; keep others'."""

import pytest

from .charter_fixtures import decide, draft, media, network, submitted  # noqa: F401  (N2: charters, reviews, sanctions)
from .network_fixtures import antwerp, english, make_network  # noqa: F401  (N1: networks, areas, partners)


@pytest.fixture(autouse=True)
def _dutch_personas_read_english(request):
    """The tests of this app read the pages' messages in English. Personas whose language is Dutch (the platform's
    default) switch to English; tests about a language choose it themselves (cookie, account or override)."""
    if "personas" not in request.fixturenames:
        return
    from accounts.models import User

    personas = request.getfixturevalue("personas")
    User.objects.filter(language="nl").update(language="en")
    for person in personas.all().values():
        if person.language == "nl":
            person.language = "en"
