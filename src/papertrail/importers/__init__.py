"""Importers: read a file someone else wrote and turn it into a `ParsedList`, touching nothing."""
