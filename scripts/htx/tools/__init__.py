"""The `htx` command and what it drives: scaffolding, intake, withdrawal, forms, field reference."""
