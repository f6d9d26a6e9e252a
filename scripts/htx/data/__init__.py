"""Stage 1–2: read profiles, the schema, validation and its Vietnamese messages, vocabularies."""
