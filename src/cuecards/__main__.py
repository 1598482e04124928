"""`python -m cuecards` runs the command line."""

from __future__ import annotations

from cuecards.cli import main

main()
