"""A record's columns and its row mapping, read from its dataclass (declared once in
``netapp.domain``): the repositories build their INSERT and their row → record mapping here
instead of writing the field list out again (Person's details have their own richer
declaration, ``ContactDetails``)."""

from __future__ import annotations

import typing
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import fields
from enum import Enum
from typing import Any, TypeVar

R = TypeVar("R")


def columns(cls: type, *, without: Iterable[str] = ("id",)) -> tuple[str, ...]:
    """The record's fields in declared order (its table's columns of the same names)."""
    skip = set(without)
    return tuple(f.name for f in fields(cls) if f.name not in skip)


def insert_sql(table: str, cols: Sequence[str]) -> str:
    return f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"


def values(record: object, cols: Sequence[str]) -> list[Any]:
    """The record's values for ``cols`` as SQLite takes them (an enum by its value)."""
    return [_plain(getattr(record, c)) for c in cols]


def from_row(cls: type[R], row: Mapping[str, Any]) -> R:
    """The record from a row: each field from the column of its name; an enum field parsed
    (an empty optional one is None)."""
    kinds = _enum_fields(cls)
    out: dict[str, Any] = {}
    for name in columns(cls, without=()):
        value = row[name]
        enum = kinds.get(name)
        if enum is not None:
            value = enum(value) if value not in (None, "") else None
        out[name] = value
    return cls(**out)


def _plain(value: object) -> object:
    return value.value if isinstance(value, Enum) else value


_ENUM_FIELDS: dict[type, dict[str, type[Enum]]] = {}


def _enum_fields(cls: type) -> dict[str, type[Enum]]:
    """Fields typed by an enum (or an optional enum): the enum."""
    if cls not in _ENUM_FIELDS:
        out: dict[str, type[Enum]] = {}
        for name, hint in typing.get_type_hints(cls).items():
            for t in (hint, *typing.get_args(hint)):
                if isinstance(t, type) and issubclass(t, Enum):
                    out[name] = t
        _ENUM_FIELDS[cls] = out
    return _ENUM_FIELDS[cls]
