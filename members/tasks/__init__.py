"""Background work of the members app, one module per area (join, portal, manage): thin wrappers around
services, taking ids and safe to run twice."""
