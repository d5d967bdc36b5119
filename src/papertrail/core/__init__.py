"""The work behind each command group, one module per group: functions take an open
Store, return plain results and raise papertrail.errors; they never print."""
