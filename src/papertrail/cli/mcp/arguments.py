"""A tool's arguments checked against its input schema, with one-line messages.

A tool's input schema (JSON Schema, as `tools/list` publishes it) is the only statement of
what it accepts: this module checks the part of JSON Schema the tools use, so the schema a
model reads and the check a call meets cannot disagree. jsonschema or pydantic could check
it too, but their messages span lines and quote the rejected value at length (a 1 MB
string would come back in the error); these name the argument, the rule, and at most 40
characters of the value.

Keywords: type (string, integer, boolean, array, or a list of them), enum, minimum,
maximum, minLength, maxLength, minItems, maxItems, items, required, default, and
additionalProperties (always false: an unknown argument is refused).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from papertrail.errors import UsageError

_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
    "null": (type(None),),
}


class ArgumentError(UsageError):
    """A tool argument the input schema refuses."""


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _type_names(schema: Mapping[str, Any]) -> list[str]:
    kind = schema.get("type", [])
    return [kind] if isinstance(kind, str) else list(kind)


def _is_type(value: Any, name: str) -> bool:
    if name in ("integer", "string") and isinstance(value, bool):
        return False  # True is an int to Python, not to JSON
    if name == "integer" and isinstance(value, float):
        return value.is_integer() and abs(value) < 2**53  # 5.0 is 5; 1e300 is no count
    return isinstance(value, _TYPES[name])


def check_value(name: str, value: Any, schema: Mapping[str, Any]) -> Any:
    """`value` as the tool receives it (an integral float becomes an int), or ArgumentError."""
    kinds = _type_names(schema)
    if kinds and not any(_is_type(value, kind) for kind in kinds):
        raise ArgumentError(f"{name} must be {' or '.join(kinds)}, not {_shown(value)}")
    if isinstance(value, float):
        value = int(value)
    if "enum" in schema and value not in schema["enum"]:
        allowed = ", ".join(str(choice) for choice in schema["enum"])
        raise ArgumentError(f"{name} must be one of {allowed}, not {_shown(value)}")
    if isinstance(value, int) and not isinstance(value, bool):
        _check_bounds(name, value, schema)
    if isinstance(value, str):
        _check_length(name, value, schema)
    if isinstance(value, list):
        value = _check_items(name, value, schema)
    return value


def _check_bounds(name: str, value: int, schema: Mapping[str, Any]) -> None:
    low, high = schema.get("minimum"), schema.get("maximum")
    if (low is not None and value < low) or (high is not None and value > high):
        if low is not None and high is not None:
            rule = f"between {low} and {high}"
        else:
            rule = f"at least {low}" if low is not None else f"at most {high}"
        raise ArgumentError(f"{name} must be {rule}, not {_shown(value)}")


def _check_length(name: str, value: str, schema: Mapping[str, Any]) -> None:
    longest, shortest = schema.get("maxLength"), schema.get("minLength")
    if longest is not None and len(value) > longest:
        raise ArgumentError(f"{name} is too long ({len(value)} characters; at most {longest})")
    if shortest is not None and len(value.strip()) < shortest:
        raise ArgumentError(f"{name} must not be empty")
    if "\x00" in value:
        raise ArgumentError(f"{name} must not contain NUL characters")


def _check_items(name: str, value: list[Any], schema: Mapping[str, Any]) -> list[Any]:
    most, least = schema.get("maxItems"), schema.get("minItems")
    if most is not None and len(value) > most:
        raise ArgumentError(f"{name} has too many items ({len(value)}; at most {most})")
    if least is not None and len(value) < least:
        raise ArgumentError(f"{name} needs at least {least} item(s)")
    item_schema = schema.get("items", {})
    return [check_value(f"{name}[{i}]", item, item_schema) for i, item in enumerate(value)]


def check_arguments(
    arguments: Mapping[str, Any] | None, schema: Mapping[str, Any]
) -> dict[str, Any]:
    """The arguments of a call checked against `schema` (an object schema), with the
    defaults it declares filled in. Unknown names are refused: a misspelt filter must not
    be a filter silently ignored."""
    arguments = dict(arguments or {})
    properties: Mapping[str, Any] = schema.get("properties", {})
    unknown = sorted(set(arguments) - set(properties))
    if unknown:
        known = ", ".join(properties) or "none"
        raise ArgumentError(f"unknown argument {_shown(unknown[0])} (known: {known})")
    missing = [name for name in schema.get("required", ()) if arguments.get(name) is None]
    if missing:
        raise ArgumentError(f"missing argument {missing[0]!r}")
    checked: dict[str, Any] = {}
    for name, prop in properties.items():
        value = arguments.get(name)
        if value is None:  # a fresh copy of a default: a list must not be shared by calls
            checked[name] = copy.copy(prop.get("default"))
        else:
            checked[name] = check_value(name, value, prop)
    return checked
