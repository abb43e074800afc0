"""HTTP conventions shared by every package that serves HTTP: strict request input, OpenAPI parts."""
