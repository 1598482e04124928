"""The Textual app. Only this package (and the command line) imports Textual."""
