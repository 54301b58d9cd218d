"""The WSGI entry point for production servers: `gunicorn -c gunicorn.conf.py`.

It builds the production configuration unless IMPPLUS_ENV names another, so a server started
without IMPPLUS_SECRET_KEY stops at once with a message instead of signing sessions with a key
that changes at every restart."""

from __future__ import annotations

import os

from . import create_app

app = create_app(os.environ.get("IMPPLUS_ENV", "production"))
