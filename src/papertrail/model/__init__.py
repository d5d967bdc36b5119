"""Plain data and rules, no I/O: records, identifiers, citation keys, entry types,
slugs, arXiv categories, text, and whether two descriptions are one paper."""
