"""The HTTP side: pages for each role, the no-JavaScript form, signing in, and the intake API."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Every blueprint, with the template helpers and error pages they share."""
    from .admin import admin
    from .api import api
    from .auth import auth
    from .casework import casework
    from .errors import init_error_pages
    from .evidence import evidence
    from .form import form
    from .form_files import allow_files
    from .labels import init_labels
    from .pages import pages
    from .panel import panel
    from .police import police
    from .referrals import referrals
    from .statistics import statistics
    from .translate import translate
    from .uploads import uploads

    init_labels(app)
    allow_files(app)
    init_error_pages(app)
    for blueprint in (
        pages,
        form,
        referrals,
        auth,
        casework,
        panel,
        statistics,
        admin,
        translate,
        api,
        uploads,
        evidence,
        police,
    ):
        app.register_blueprint(blueprint)
