import pytest

from geography.selectors import geojson_invalidate


@pytest.fixture(autouse=True)
def _fresh_map_layers():
    """Map layers are cached across requests; a test must not see the layers of another test's rolled-back data."""
    geojson_invalidate()
    yield
    geojson_invalidate()
