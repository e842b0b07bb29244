"""/practices/: the library (search, list, feed) and the work on practices (submit, moderate), one namespace."""

from .urls_core import urlpatterns as core_patterns
from .urls_search import urlpatterns as search_patterns

app_name = "practices"
urlpatterns = [*search_patterns, *core_patterns]
