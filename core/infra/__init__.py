"""Infrastructure: the database, Redis, the job queue, file storage, embedded servers and the
runtime that opens them together; the domain modules beside it use these, never the reverse."""
