"""Access helpers at the top of views: sign-in first, then the predicate (403 when it fails)."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def require(predicate: Callable[[object], bool]):
    """Anonymous users are sent to sign in; signed-in users failing `predicate(user)` get 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not predicate(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def signed_in(user) -> bool:
    return user.is_authenticated
