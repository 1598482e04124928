"""Reading and writing other programs' files: Anki packages and CSV.

Nothing here imports Textual; the SQL that reads an Anki collection lives in
:mod:`cuecards.interop.anki_sqlite` alone.
"""
