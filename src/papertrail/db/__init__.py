"""Every SQL string papertrail runs: the Store and its table groups, the dialects, the
tables, migrations and the stored schema SQL."""
