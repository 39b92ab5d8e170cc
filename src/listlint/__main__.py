"""Allow ``python -m listlint``."""

from listlint.cli import main

raise SystemExit(main())
