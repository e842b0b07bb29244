"""Background work of the training app; each part keeps its tasks in its own module, imported here so the worker
and the periodic scheduler find them."""

from . import tasks_enrolments, tasks_sessions  # noqa: F401
