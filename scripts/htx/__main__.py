"""`python -m htx`: the `htx` command."""
from .tools.cli import main

main()
