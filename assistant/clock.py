"""The service's time zone: dates people see and working days are the UK's, whatever the server's zone."""

from __future__ import annotations

from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
