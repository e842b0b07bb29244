"""Views of the networks register, one module per area."""
