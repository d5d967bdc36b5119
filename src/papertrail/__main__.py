"""`python -m papertrail`: the same entry point as the `papertrail` script."""

from papertrail.cli.entry import main

main()
