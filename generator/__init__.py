"""Know-your-rights notice generator: content + translations + templates -> PDFs."""

__version__ = "0.2.0"
