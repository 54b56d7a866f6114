"""Reading YAML and JSON with the line of every value, and writing files atomically."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

from .errors import InputError

Lines = dict  # JSON path tuple -> 1-based line number


def _plain(node, path: tuple, lines: Lines):
    """Turn ruamel's round-trip nodes into dicts/lists/str/int, noting each value's line."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(node, CommentedMap):
        out = {}
        for key, value in node.items():
            try:
                line = node.lc.key(key)[0] + 1
            except Exception:  # noqa: BLE001 - ruamel keeps no position for merged keys
                line = lines.get(path, 0)
            lines[path + (str(key),)] = line
            out[str(key)] = _plain(value, path + (str(key),), lines)
        return out
    if isinstance(node, CommentedSeq):
        out = []
        for i, value in enumerate(node):
            try:
                lines[path + (i,)] = node.lc.item(i)[0] + 1
            except Exception:  # noqa: BLE001
                lines[path + (i,)] = lines.get(path, 0)
            out.append(_plain(value, path + (i,), lines))
        return out
    if isinstance(node, (bool, Decimal)) or node is None:
        return node
    if isinstance(node, int):
        return int(node)  # ruamel's ScalarInt subclasses, as plain ints (a cached ruleset then needs no ruamel)
    return str(node)


def _exact_float(constructor, node):
    text = str(node.value).replace("_", "")
    try:
        return Decimal(text)
    except Exception:  # .inf / .nan: kept as text so validation names them
        return text


def load_yaml_text(text: str, name: str) -> tuple[object, Lines]:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    # A YAML float would be binary; read its text as an exact decimal instead.
    yaml.constructor.add_constructor("tag:yaml.org,2002:float", _exact_float)
    try:
        data = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f":{mark.line + 1}" if mark else ""
        problem = exc.problem or exc.context or "invalid YAML"
        raise InputError(f"malformed YAML: {problem}", where=f"{name}{line}") from None
    except YAMLError as exc:
        raise InputError(f"malformed YAML: {exc}", where=name) from None
    lines: Lines = {(): 1}
    return _plain(data, (), lines), lines


def load_json_text(text: str, name: str):
    def no_constant(token):
        raise ValueError(f"{token} is not a number")

    try:
        return json.loads(text, parse_float=Decimal, parse_constant=no_constant)
    except json.JSONDecodeError as exc:
        raise InputError(f"malformed JSON: {exc.msg}", where=f"{name}:{exc.lineno}:{exc.colno}") from None
    except ValueError as exc:
        raise InputError(f"malformed JSON: {exc}", where=_constant_place(text, name)) from None


def _constant_place(text: str, name: str) -> str:
    """``name:line:col`` of the first bare NaN/Infinity (the decoder does not say where it was)."""
    import re

    for m in re.finditer(r'"(?:[^"\\]|\\.)*"|(-?Infinity|NaN)', text):
        if m.group(1):
            line = text.count("\n", 0, m.start()) + 1
            col = m.start() - text.rfind("\n", 0, m.start())
            return f"{name}:{line}:{col}"
    return name


def read_text(path: str | Path) -> tuple[str, str]:
    """(text, display name); ``-`` reads standard input."""
    if str(path) == "-":
        return sys.stdin.read(), "<stdin>"
    p = Path(path)
    try:
        return p.read_text(encoding="utf-8"), str(p)
    except FileNotFoundError:
        raise InputError("file not found", where=str(p)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read file: {exc}", where=str(p)) from None


def load_document(path: str | Path):
    """A submission or other document from JSON or YAML (by suffix; stdin: JSON, else YAML)."""
    text, name = read_text(path)
    if name.endswith(".json") or (name == "<stdin>" and text.lstrip().startswith(("{", "["))):
        return load_json_text(text, name), name
    data, _ = load_yaml_text(text, name)
    return data, name


def write_atomic(path: str | Path, text: str | bytes) -> None:
    """Write ``text`` (or bytes: a workbook) so that readers see the old file or the whole new one, never a part."""
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        # mkstemp makes the file private (0600); give it the mode a plain open() would,
        # or keep the mode of the file it replaces.
        try:
            mode = target.stat().st_mode & 0o7777
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        binary = isinstance(text, bytes)
        with os.fdopen(fd, "wb" if binary else "w", **({} if binary else {"encoding": "utf-8"})) as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def to_json(data) -> str:
    def default(value):
        if isinstance(value, Decimal):
            return format(value, "f")
        if hasattr(value, "model_dump"):
            return value.model_dump(mode="json")
        raise TypeError(f"not serialisable: {type(value).__name__}")

    return json.dumps(data, ensure_ascii=False, indent=2, default=default) + "\n"
