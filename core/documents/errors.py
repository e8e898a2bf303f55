"""Why a document could not be produced. Messages are safe to show: they hold ids and limits,
never record data."""


class DocumentError(Exception):
    """The document cannot be produced as asked; trying again will not help."""


class TransientDocumentError(DocumentError):
    """The document could not be produced this time (a render worker stopped); retry."""
