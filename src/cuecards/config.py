"""Settings: a pydantic model, stored as JSON values in the database.

Settings live in the ``settings`` table of the database in the data folder,
one row per key that differs from its default. :func:`parse_value` turns a
command-line string into a value; :func:`validated` checks a whole set and
turns pydantic's complaints into one :class:`~cuecards.errors.ConfigError`.
"""

from __future__ import annotations

import json
import os
import re
from datetime import date, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from cuecards.errors import ConfigError

_STEP = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_step(text: str) -> timedelta:
    """A learning step such as ``30s``, ``1m``, ``10m``, ``1h`` or ``1d``."""
    m = _STEP.match(text)
    if not m:
        raise ValueError(f"{text!r} is not a step: use a number and s, m, h or d, e.g. 10m")
    seconds = float(m.group(1)) * _UNIT_SECONDS[m.group(2)]
    if seconds <= 0:
        raise ValueError(f"{text!r}: a step must be longer than zero")
    return timedelta(seconds=seconds)


class Settings(BaseModel):
    """Everything a user can set with ``cuecards config set KEY VALUE``."""

    # Field docstrings are read lazily by describe(): asking pydantic to read
    # them at import costs ~9 ms of start-up.
    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    desired_retention: float = Field(default=0.9, ge=0.7, le=0.99)
    """The share of reviews you want to recall; higher means more reviews."""

    new_per_day: int = Field(default=20, ge=0, le=9999)
    """How many new cards a day introduces at most."""

    reviews_per_day: int = Field(default=200, ge=0, le=99999)
    """How many due reviews a day shows at most (learning steps are not counted)."""

    learning_steps: list[str] = Field(default_factory=lambda: ["1m", "10m"])
    """Steps a new card goes through before its first interval in days."""

    relearning_steps: list[str] = Field(default_factory=lambda: ["10m"])
    """Steps a forgotten card goes through before it gets days again."""

    rollover_hour: int = Field(default=4, ge=0, le=23)
    """Local hour at which a new study day begins."""

    maximum_interval: int = Field(default=36500, ge=1, le=36500)
    """The longest interval in days any card can get."""

    fuzz: bool = True
    """Spread intervals of review cards a little, so cards learned together part ways."""

    leech_threshold: int = Field(default=8, ge=1, le=999)
    """Lapses after which a card is flagged as a leech."""

    interview_date: date | None = None
    """When set, no interval reaches past this day and the app shows expected recall on it."""

    fsrs_parameters: list[float] | None = None
    """Personal FSRS parameters (21 numbers) from ``cuecards optimize``; unset uses the defaults."""

    theme: str | None = None
    """The app's colour theme, as last picked in the app (ctrl+p, then "theme")."""

    timezone: str | None = None
    """An IANA time zone name for the study day; unset uses the machine's local time."""

    learn_ahead_minutes: int = Field(default=20, ge=0, le=1440)
    """When nothing else is left, a learning card due within this many minutes is shown early."""

    deck_folders: list[str] = Field(default_factory=list)
    """Folders of your own decks, read at every start besides the shipped decks."""

    show_shipped_decks: bool = True
    """Show the decks that come with cuecards (false hides them; their history is kept)."""

    @field_validator("learning_steps", "relearning_steps")
    @classmethod
    def _check_steps(cls, v: list[str]) -> list[str]:
        for step in v:
            parse_step(step)
        return v

    @field_validator("fsrs_parameters")
    @classmethod
    def _check_parameters(cls, v: list[float] | None) -> list[float] | None:
        if v is not None:
            from fsrs import Scheduler

            try:
                Scheduler(parameters=v)
            except ValueError as e:
                raise ValueError(str(e).replace("\n", "; ")) from None
        return v

    @field_validator("timezone")
    @classmethod
    def _check_timezone(cls, v: str | None) -> str | None:
        if v is not None:
            from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

            try:
                ZoneInfo(v)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError(f"{v!r} is not a known time zone (e.g. Europe/Berlin)") from None
        return v

    def steps(self, which: str = "learning") -> list[timedelta]:
        """The learning (or relearning) steps as timedeltas."""
        raw = self.learning_steps if which == "learning" else self.relearning_steps
        return [parse_step(s) for s in raw]


KEYS: tuple[str, ...] = tuple(Settings.model_fields)


def describe(key: str) -> str:
    """The one-line help of a setting (the docstring under its field), as plain
    text: the docstrings' ````literal```` markup is dropped."""
    return _field_docs().get(key, "").replace("``", "")


_DOCS: dict[str, str] = {}


def _field_docs() -> dict[str, str]:
    if not _DOCS:
        import ast
        import inspect

        tree = ast.parse(inspect.getsource(Settings))
        cls = tree.body[0]
        assert isinstance(cls, ast.ClassDef)
        last: str | None = None
        for node in cls.body:
            if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                last = node.target.id
                continue
            if (
                last
                and isinstance(node, ast.Expr)
                and isinstance(node.value, ast.Constant)
                and isinstance(node.value.value, str)
            ):
                _DOCS[last] = " ".join(node.value.value.split())
            last = None
    return _DOCS


def parse_value(key: str, raw: str) -> Any:
    """Turn a command-line string into a value for ``key`` (validated later).

    JSON is accepted for every key; lists also accept ``1m,10m`` or ``1m 10m``;
    booleans accept yes/no/on/off/true/false; ``deck_folders`` takes one
    folder, or several separated like PATH (``:``, ``;`` on Windows) or by
    commas.
    """
    if key not in Settings.model_fields:
        raise ConfigError(f"unknown setting {key!r}; known: {', '.join(KEYS)}")
    text = raw.strip()
    lowered = text.lower()
    if key == "fuzz" and lowered in ("yes", "on", "true", "1", "no", "off", "false", "0"):
        return lowered in ("yes", "on", "true", "1")
    if lowered in ("none", "null", ""):
        return None
    try:
        value = json.loads(text)
    except ValueError:
        value = text
    if key in ("learning_steps", "relearning_steps", "fsrs_parameters") and isinstance(value, str):
        parts = [p for p in re.split(r"[,\s]+", value) if p]
        if key == "fsrs_parameters":
            try:
                return [float(p) for p in parts]
            except ValueError:
                raise ConfigError(f"{key}: expected 21 numbers separated by commas") from None
        return parts
    if key in ("learning_steps", "relearning_steps") and isinstance(value, (int, float)):
        return [f"{value}m"]
    if key in ("interview_date", "timezone") and not isinstance(value, str):
        return text
    if key == "deck_folders" and not isinstance(value, list):
        # One folder, or several separated like PATH or by commas.
        raw_text = value if isinstance(value, str) else text
        parts = re.split(f"[,{re.escape(os.pathsep)}]", raw_text)
        return [p.strip() for p in parts if p.strip()]
    return value


_PLAIN: dict[str, str] = {
    "int_parsing": "a whole number",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "float_parsing": "a number",
    "float_type": "a number",
    "date_parsing": "a date as YYYY-MM-DD",
    "date_type": "a date as YYYY-MM-DD",
    "date_from_datetime_parsing": "a date as YYYY-MM-DD",
    "date_from_datetime_inexact": "a date as YYYY-MM-DD",
    "bool_parsing": "yes or no",
    "bool_type": "yes or no",
    "list_type": "a list separated by commas",
    "string_type": "text",
}


def _plain(key: str, err: Any) -> str:
    """One pydantic complaint about ``key`` as a short plain phrase."""
    kind = str(err["type"])
    ctx = err.get("ctx") or {}
    if kind in ("greater_than_equal", "greater_than"):
        return f"at least {ctx.get('ge', ctx.get('gt'))}"
    if kind in ("less_than_equal", "less_than"):
        return f"at most {ctx.get('le', ctx.get('lt'))}"
    if kind in _PLAIN:
        text = _PLAIN[kind]
        field = Settings.model_fields.get(key)
        default = field.default if field is not None else None
        if text in ("a whole number", "a number") and isinstance(default, (int, float)):
            text += f", e.g. {default}"
        return text
    return str(err["msg"]).removeprefix("Value error, ")


def validated(values: dict[str, Any]) -> Settings:
    """A :class:`Settings` from stored or typed values, or one clear ConfigError
    (the same plain words for ``cuecards config set`` and the settings screen)."""
    try:
        return Settings.model_validate(values)
    except ValidationError as e:
        parts = []
        for err in e.errors():
            key = str(err["loc"][0]) if err["loc"] else "settings"
            parts.append(f"{key}: {_plain(key, err)}")
        raise ConfigError("; ".join(dict.fromkeys(parts))) from None


def past_interview(settings: Settings, today: date) -> bool:
    """True when an interview date is set and lies before ``today`` (it then
    caps no interval: :meth:`cuecards.scheduling.Scheduling._clamped`)."""
    return settings.interview_date is not None and settings.interview_date < today


def past_interview_warning(settings: Settings, today: date) -> str | None:
    """The warning for an interview date before ``today``, else None; the
    command line and the settings screen both say this."""
    if not past_interview(settings, today):
        return None
    return (
        f"interview_date {settings.interview_date} is in the past and is ignored "
        "(it caps no interval)"
    )


def to_json(settings: Settings, key: str) -> Any:
    """The JSON-ready value of one setting."""
    return settings.model_dump(mode="json")[key]


def known_key(key: str) -> str:
    """``key`` when it names a setting, else a ConfigError with a near miss."""
    if key not in KEYS:
        import difflib

        near = difflib.get_close_matches(key, KEYS, n=1)
        hint = f" (did you mean {near[0]}?)" if near else ""
        raise ConfigError(f"unknown setting {key!r}{hint}; `cuecards config list` shows them all")
    return key


def effective(stored: dict[str, Any], valid_only: bool = False) -> dict[str, Any]:
    """Every setting's value: the stored ones that are valid, else the default
    (or, unless ``valid_only``, the invalid value as stored, for showing)."""
    values: dict[str, Any] = {} if valid_only else Settings().model_dump(mode="json")
    for key, value in stored.items():
        if key in KEYS:
            try:
                values[key] = validated({key: value}).model_dump(mode="json")[key]
            except ConfigError:
                if not valid_only:
                    values[key] = value  # shown as stored; `set`/`unset` repairs it
    return values
