"""Django's database session engine, reading the session with SQL compiled once.

Without Redis, every signed-in request reads its session from the database, and Django's own
engine builds that one-row query in the ORM each time, which takes longer than the database
takes to answer it. Everything else (saving, expiry, clearing) is Django's.
"""

from django.contrib.sessions.backends import db
from django.utils import timezone

from newsroom.compiled import CompiledGet

_SESSION_BY_KEY = CompiledGet(lambda: db.SessionStore.get_model_class().objects.all())


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        session = _SESSION_BY_KEY.get(self.session_key) if self.session_key else None
        if session is None or session.expire_date <= timezone.now():
            self._session_key = None  # as Django's: a missing or expired session starts afresh
            return None
        return session
