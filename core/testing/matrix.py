"""The permission matrix every view and endpoint is tested with (STYLE.md, NetBox-style).

For one URL: anonymous visitors are sent to sign in (pages) or refused (API); users who must not
even know the object exists get 404; users who see it but may not do this get 403; allowed users
get a success. Callers pass persona users; the helper signs each in with `force_login`.
"""

from __future__ import annotations

from collections.abc import Iterable

ANONYMOUS_LOGIN = "login"
ANONYMOUS_DENIED = "denied"
ANONYMOUS_ALLOWED = "allowed"


def _request(client, method: str, url: str, data):
    call = getattr(client, method.lower())
    if data is None:
        return call(url)
    if method.lower() == "get":
        return call(url, data)
    return (
        call(url, data, content_type="application/json")
        if isinstance(data, dict | list) and url.startswith("/api/")
        else call(url, data)
    )


def assert_permission_matrix(
    client,
    url: str,
    *,
    allowed: Iterable = (),
    in_scope_wrong_role: Iterable = (),
    hidden: Iterable = (),
    anonymous: str = ANONYMOUS_LOGIN,
    method: str = "get",
    data=None,
    allowed_status: Iterable[int] = (200,),
) -> None:
    allowed_status = tuple(allowed_status)
    client.logout()
    response = _request(client, method, url, data)
    if anonymous == ANONYMOUS_LOGIN:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], (  # nosec B101  # test helper: asserting is its job
            f"anonymous {method.upper()} {url}: expected a redirect to sign in, got {response.status_code}"
        )
    elif anonymous == ANONYMOUS_DENIED:
        assert response.status_code in (401, 403), f"anonymous {method.upper()} {url}: got {response.status_code}"  # nosec B101  # test helper: asserting is its job
    else:
        assert response.status_code in allowed_status, f"anonymous {method.upper()} {url}: got {response.status_code}"  # nosec B101  # test helper: asserting is its job

    for expected, users in (("404", hidden), ("403", in_scope_wrong_role), ("ok", allowed)):
        for user in users:
            client.force_login(user)
            response = _request(client, method, url, data)
            client.logout()
            if expected == "ok":
                assert response.status_code in allowed_status, (  # nosec B101  # test helper: asserting is its job
                    f"{user} {method.upper()} {url}: expected {allowed_status}, got {response.status_code}"
                )
            else:
                assert response.status_code == int(expected), (  # nosec B101  # test helper: asserting is its job
                    f"{user} {method.upper()} {url}: expected {expected}, got {response.status_code}"
                )
