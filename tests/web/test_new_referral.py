"""Starting a new referral from the chat says where the current one goes: it stays in My referrals."""

from __future__ import annotations

import json
import re
from typing import Any


def test_the_new_referral_confirmation_says_the_current_one_stays_in_my_referrals(staff: Any) -> None:
    page = staff.client("first-responder").get("/").get_data(as_text=True)
    strings = json.loads(
        re.search(r'<script type="application/json" id="ui-strings">(.*?)</script>', page, re.S).group(1)
    )
    assert "stays in My referrals" in strings["new_confirm"]
    assert 'href="/referrals/"' in page  # where it says to look
