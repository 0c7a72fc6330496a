"""``python -m servicecore``: the same as the ``servicecore`` command."""

from servicecore.cli import main

raise SystemExit(main())
