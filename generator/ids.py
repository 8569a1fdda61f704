"""The patterns ids and language codes must match before they become part of a file name."""

from __future__ import annotations

import re

ID_RE = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")
LANG_RE = re.compile(r"^[a-z]{2,3}(_[A-Z]{2}|_[A-Z][a-z]{3})?$")
