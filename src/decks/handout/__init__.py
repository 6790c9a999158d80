"""The PDF handout: a Document becomes HTML (``html.py``), then a PDF (``pdf.py``); WeasyPrint loads lazily."""
