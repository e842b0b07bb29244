"""The practices tests read the pages' messages in English: the personas switch to English; tests about a language
choose it themselves (cookie, account, reader language or override)."""

import pytest


@pytest.fixture(autouse=True)
def _english_readers(request):
    if "personas" not in request.fixturenames:
        return
    from accounts.models import User

    personas = request.getfixturevalue("personas")
    User.objects.exclude(language="en").update(language="en")
    for person in personas.all().values():
        person.language = "en"
