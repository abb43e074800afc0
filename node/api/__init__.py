"""The admin JSON API under /api/v1/: request parsing, handlers, serialisation, OpenAPI document."""
