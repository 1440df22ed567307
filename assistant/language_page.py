"""Where the language switcher of a page without scripts sends its GET."""

from __future__ import annotations

from flask import request
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect


def language_page() -> str:
    """The page itself (an empty action) when a GET of its URL shows it. A page shown for a POST (an
    answer or a decision refused with an error) has a URL only POST answers, so the switch goes to the
    nearest page above it that answers GET: /form/answer to /form/ (which shows the current question),
    /casework/referrals/<reference>/decide to the referral."""
    if request.method == "GET":
        return ""
    adapter = request.url_rule and request.url_rule.map.bind_to_environ(request.environ)
    if not adapter:
        return ""
    path = request.path
    while path:
        try:
            adapter.match(path, method="GET")
        except RequestRedirect as redirect:  # /form to /form/
            return redirect.new_url.removeprefix(request.host_url.rstrip("/"))
        except HTTPException:
            path = path.rstrip("/").rpartition("/")[0]
            continue
        return "" if path == request.path else path
    return "/"
