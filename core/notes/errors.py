"""Why a note operation was refused; every message is fit for the person who asked."""

from core.errors import Conflict, DomainError, Forbidden, Invalid


class NoteError(DomainError):
    """The note's state or the requester's part in the session does not allow this."""


class NoteLocked(NoteError, Conflict):
    """The note is signed: its content changes only through an amendment."""

    def __init__(
        self,
        message: str = "this note is signed and locked; change it through an amendment "
        "with a reason",
    ) -> None:
        super().__init__(message)


class NoteStateError(NoteError, Conflict):
    """The operation does not apply to a note in this state (sign twice, amend a draft…)."""


class NotSessionTherapist(NoteError, Forbidden):
    """Someone who may read the note, but did not hold the session, tried to change it."""

    def __init__(self, doing: str = "edit, sign or amend its notes") -> None:
        super().__init__(f"only the therapist who held the session may {doing}")


class InvalidNoteContent(NoteError, Invalid):
    """Sections or an amendment reason that cannot be stored as given."""
