"""decks: a study group's paper notes (Markdown) in, PowerPoint decks and PDF handouts out."""

__version__ = "0.1.0"
