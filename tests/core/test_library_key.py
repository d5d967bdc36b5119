"""How a library is named in the file stores it shares (core/files.py): one entry per
library, whichever member's role reaches it, and never a password."""

from __future__ import annotations

from papertrail.core.files import library_key


def test_the_members_of_a_lab_name_one_library_alike() -> None:
    alice = library_key("postgresql+psycopg://alice@db.lab:5432/lab")
    assert alice == library_key("postgresql+psycopg://bob@db.lab:5432/lab")
    assert alice == "postgresql+psycopg://db.lab:5432/lab"
    assert library_key("postgresql://db.lab/lab") == "postgresql://db.lab/lab"
    assert library_key("/home/ada/papers/lab@2024.db") == "/home/ada/papers/lab@2024.db"
