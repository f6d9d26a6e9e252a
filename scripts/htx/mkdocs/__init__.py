"""The MkDocs layer: plugin glue, settings, generated pages through the theme, HTML compaction."""
