"""Why a note operation was refused; every message is fit for the person who asked."""


class NoteError(Exception):
    """The note's state or the requester's part in the session does not allow this."""


class NoteLocked(NoteError):
    """The note is signed: its content changes only through an amendment."""

    def __init__(
        self,
        message: str = "this note is signed and locked; change it through an amendment "
        "with a reason",
    ) -> None:
        super().__init__(message)


class NoteStateError(NoteError):
    """The operation does not apply to a note in this state (sign twice, amend a draft…)."""


class NotSessionTherapist(NoteError):
    """Someone who may read the note, but did not hold the session, tried to change it."""

    def __init__(self, doing: str = "edit, sign or amend its notes") -> None:
        super().__init__(f"only the therapist who held the session may {doing}")


class InvalidNoteContent(NoteError, ValueError):
    """Sections or an amendment reason that cannot be stored as given."""
