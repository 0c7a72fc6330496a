"""``python -m servicecore``: the same as the ``servicecore`` command."""

from servicecore.cli import main

# Tools that import every module (the docs build) must not run the command.
if __name__ == "__main__":
    raise SystemExit(main())
