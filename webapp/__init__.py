"""IMP+ Check / Vérif PMI+.

`webapp.rules` is the pure eligibility layer; importing it (or the command line) does not load
Flask. `create_app` builds the web application on first use.
"""


def create_app(config=None):
    """Build the Flask application (see webapp.app.create_app)."""
    from .app import create_app as _create_app

    return _create_app(config)
