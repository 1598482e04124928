"""Stored settings: one JSON value per key (validation is the service's)."""

from __future__ import annotations

import json
from typing import Any

from cuecards.storage.connection import Database


class SettingsStore(Database):
    """The ``settings`` table."""

    def settings(self) -> dict[str, Any]:
        """Stored settings (only those set), decoded from JSON."""
        return {r[0]: json.loads(r[1]) for r in self._q("SELECT key, value FROM settings")}

    def put_setting(self, key: str, value: Any) -> None:
        """Store a setting; ``None`` removes it (back to its default)."""
        with self.write() as c:
            if value is None:
                c.execute("DELETE FROM settings WHERE key = ?", (key,))
            else:
                c.execute(
                    "INSERT INTO settings(key, value) VALUES (?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (key, json.dumps(value)),
                )
