"""The pattern an id must match before it becomes part of a file name (language codes: languages.py)."""

from __future__ import annotations

import re

ID_RE = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")

