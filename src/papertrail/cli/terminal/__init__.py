"""What the command line draws and asks: plain and JSON output, Rich tables and panels,
the pager, the editor. Only the CLI draws."""
