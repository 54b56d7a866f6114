"""Reading YAML and JSON with the line of every value, and writing files atomically.

Every document the engine reads (a submission from a file, standard input or an HTTP body, a
ruleset, a plugin's ruleset, a golden file) goes through the bounded readers here: a regular
file only (a FIFO, directory, device or broken link is refused, never waited on), at most so
many bytes, UTF-8 text, then a parse bounded in entries, depth and aliases. The limits are
declared once, below (and a figure's range in :mod:`.numbers`); the HTTP service and the
workbook reader use the same constants. Every refusal is an :class:`~.errors.InputError` with
a code of docs/findings.md and the place (file, line).
"""

from __future__ import annotations

import json
import os
import stat
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

from .errors import InputError, OutputError
from .numbers import MAX_NUMBER_CHARS, too_long

Lines = dict  # JSON path tuple -> 1-based line number

# -- The limits of a document, declared once for every reader -------------------------------
#: Bytes of one JSON document (a submission file, standard input, an HTTP body). The largest
#: enterprise-year we know (30 sources x 12 months, bench/enterprise.py) is ~60 kB.
MAX_DOCUMENT_BYTES = 8 * 2**20
#: Bytes of one YAML document (a ruleset, a golden file, a YAML submission). YAML is parsed in
#: pure Python (~0.1 ms per entry), so it is bounded tighter; the largest bundled ruleset is ~52 kB.
MAX_YAML_BYTES = 1 * 2**20
#: Mapping keys and list items of one JSON document.
MAX_ENTRIES = 100_000
#: Nodes of one YAML document (keys, values, items; an alias counts as the nodes it stands for).
#: The largest bundled ruleset has ~4,000.
MAX_YAML_NODES = 25_000
#: Aliases (``*name``) in one YAML document; an alias inside the node it names (a recursive
#: alias) is refused whatever the count.
MAX_ALIASES = 200
#: Nesting depth of objects and lists in any document (a ruleset nests ~8 deep).
MAX_DEPTH = 64

LIMITS = {
    "MAX_DOCUMENT_BYTES": MAX_DOCUMENT_BYTES, "MAX_YAML_BYTES": MAX_YAML_BYTES, "MAX_ENTRIES": MAX_ENTRIES,
    "MAX_YAML_NODES": MAX_YAML_NODES, "MAX_ALIASES": MAX_ALIASES, "MAX_DEPTH": MAX_DEPTH,
}


def _too_large(what: str, zh: str, where: str) -> InputError:
    return InputError(what, where=where, code="too_large", message_zh=zh)


class _Refused(Exception):
    """Raised inside ruamel's composer or constructor to stop a parse at a limit."""

    def __init__(self, message: str, message_zh: str, mark, code: str = "too_large"):
        super().__init__(message)
        self.message, self.message_zh, self.mark, self.code = message, message_zh, mark, code


def _composer_class():
    """ruamel's composer, counting nodes, aliases and depth as it goes and refusing a recursive
    alias, so a hostile file is stopped at the limit, not after it has been built."""
    from ruamel.yaml.composer import Composer
    from ruamel.yaml.events import AliasEvent

    class BoundedComposer(Composer):
        def compose_node(self, parent, index):
            st_ = self.__dict__.setdefault("_mrv", {"nodes": 0, "aliases": 0, "depth": 0, "open": set()})
            event = self.parser.peek_event()
            st_["nodes"] += 1
            if st_["nodes"] > MAX_YAML_NODES:
                raise _Refused(f"more than {MAX_YAML_NODES:,} nodes (keys, values, items) in one YAML document",
                               f"YAML 文档的节点（键、值、列表项）超过 {MAX_YAML_NODES:,} 个", event.start_mark)
            if isinstance(event, AliasEvent):
                st_["aliases"] += 1
                if event.anchor in st_["open"]:
                    raise _Refused(f"recursive alias *{event.anchor} (it refers to the node that contains it)",
                                   f"递归别名 *{event.anchor}（引用了包含它自身的节点）", event.start_mark)
                if st_["aliases"] > MAX_ALIASES:
                    raise _Refused(f"more than {MAX_ALIASES} aliases in one YAML document",
                                   f"YAML 文档中的别名超过 {MAX_ALIASES} 个", event.start_mark)
                return super().compose_node(parent, index)
            st_["depth"] += 1
            if st_["depth"] > MAX_DEPTH:
                raise _Refused(f"nested more than {MAX_DEPTH} levels deep", f"嵌套超过 {MAX_DEPTH} 层", event.start_mark)
            anchor = getattr(event, "anchor", None)
            if anchor is not None:
                st_["open"].add(anchor)
            try:
                return super().compose_node(parent, index)
            finally:
                st_["depth"] -= 1
                st_["open"].discard(anchor)

    return BoundedComposer


class _Budget:
    """The nodes :func:`_plain` may still produce: aliases are shared by ruamel but copied here,
    so an alias of an alias ... (a "billion laughs") is stopped at MAX_YAML_NODES."""

    def __init__(self, name: str):
        self.left, self.name = MAX_YAML_NODES, name

    def spend(self, line: int, depth: int) -> None:
        self.left -= 1
        if self.left < 0:
            raise _too_large(f"more than {MAX_YAML_NODES:,} nodes once its aliases are expanded",
                             f"展开别名后节点超过 {MAX_YAML_NODES:,} 个", f"{self.name}:{line}")
        if depth > MAX_DEPTH:
            raise _too_large(f"nested more than {MAX_DEPTH} levels deep once its aliases are expanded",
                             f"展开别名后嵌套超过 {MAX_DEPTH} 层", f"{self.name}:{line}")


def _plain(node, path: tuple, lines: Lines, budget: _Budget | None = None):
    """Turn ruamel's round-trip nodes into dicts/lists/str/int, noting each value's line."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if budget is not None:
        budget.spend(lines.get(path, 0), len(path))
    if isinstance(node, CommentedMap):
        out = {}
        for key, value in node.items():
            try:
                line = node.lc.key(key)[0] + 1
            except Exception:  # noqa: BLE001 - ruamel keeps no position for merged keys
                line = lines.get(path, 0)
            lines[path + (str(key),)] = line
            out[str(key)] = _plain(value, path + (str(key),), lines, budget)
        return out
    if isinstance(node, CommentedSeq):
        out = []
        for i, value in enumerate(node):
            try:
                lines[path + (i,)] = node.lc.item(i)[0] + 1
            except Exception:  # noqa: BLE001
                lines[path + (i,)] = lines.get(path, 0)
            out.append(_plain(value, path + (i,), lines, budget))
        return out
    if isinstance(node, (bool, Decimal)) or node is None:
        return node
    if isinstance(node, int):
        return int(node)  # ruamel's ScalarInt subclasses, as plain ints (a cached ruleset then needs no ruamel)
    return str(node)


def _number_text(node) -> str:
    text = str(node.value).replace("_", "")
    if too_long(text):
        raise _Refused(f"a number of {len(text)} characters (at most {MAX_NUMBER_CHARS})",
                       f"数字长度 {len(text)} 个字符（最多 {MAX_NUMBER_CHARS} 个）", node.start_mark, "number_range")
    return text


def _exact_float(constructor, node):
    text = _number_text(node)
    try:
        return Decimal(text)
    except Exception:  # .inf / .nan: kept as text so validation names them
        return text


def _bounded_int(default):
    def construct(constructor, node):
        _number_text(node)  # Python refuses int() of more than 4,300 digits: refuse it first, with its line
        return default(constructor, node)
    return construct


def load_yaml_text(text: str, name: str) -> tuple[object, Lines]:
    """(data, lines) of YAML ``text``: floats as exact decimals, duplicate keys refused, every
    limit above enforced while parsing; a failure is an :class:`InputError` at ``name:line``."""
    if len(text) > MAX_YAML_BYTES:  # characters: at least as many bytes
        raise _too_large(f"{len(text.encode('utf-8')):,} bytes: a YAML document has at most {MAX_YAML_BYTES:,}",
                         f"YAML 文档不得超过 {MAX_YAML_BYTES:,} 字节", name)
    raised = _stack_headroom()
    try:
        return _load_yaml(text, name)
    finally:
        if raised is not None:
            sys.setrecursionlimit(raised)


def _load_yaml(text: str, name: str) -> tuple[object, Lines]:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    yaml.Composer = _composer_class()
    # A YAML float would be binary; read its text as an exact decimal instead.
    yaml.constructor.add_constructor("tag:yaml.org,2002:float", _exact_float)
    default_int = type(yaml.constructor).yaml_constructors.get("tag:yaml.org,2002:int")
    if default_int is not None:
        yaml.constructor.add_constructor("tag:yaml.org,2002:int", _bounded_int(default_int))
    try:
        data = yaml.load(text)
    except _Refused as exc:
        line = f":{exc.mark.line + 1}" if exc.mark else ""
        raise InputError(exc.message, where=f"{name}{line}", code=exc.code, message_zh=exc.message_zh) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f":{mark.line + 1}" if mark else ""
        problem = exc.problem or exc.context or "invalid YAML"
        raise InputError(f"malformed YAML: {problem}", where=f"{name}{line}", code="input",
                         message_zh=f"YAML 格式错误：{problem}") from None
    except YAMLError as exc:
        raise InputError(f"malformed YAML: {exc}", where=name, code="input", message_zh="YAML 格式错误") from None
    except RecursionError:  # the limits above come first; this stays a finding if not
        raise _too_large(f"nested too deeply (at most {MAX_DEPTH} levels)", f"嵌套过深（最多 {MAX_DEPTH} 层）", name) from None
    lines: Lines = {(): 1}
    return _plain(data, (), lines, _Budget(name)), lines


#: Python frames a parse may need: ruamel's import on first use, its composer and constructor
#: recursing through a document MAX_DEPTH deep, and _plain after them.
_YAML_FRAMES = 40 * MAX_DEPTH


def _stack_headroom():
    """Make sure the parse has _YAML_FRAMES frames left whatever the caller's depth (a test runner or
    a host application may call from deep in its stack): the limit it replaced, or None."""
    depth, frame = 0, sys._getframe()
    while frame is not None:
        depth, frame = depth + 1, frame.f_back
    limit = sys.getrecursionlimit()
    if limit - depth >= _YAML_FRAMES:
        return None
    sys.setrecursionlimit(depth + _YAML_FRAMES)
    return limit


def _json_number(kind):
    def parse(text: str):
        if too_long(text):
            raise _Refused(f"a number of {len(text)} characters (at most {MAX_NUMBER_CHARS})",
                           f"数字长度 {len(text)} 个字符（最多 {MAX_NUMBER_CHARS} 个）", None, "number_range")
        return kind(text)
    return parse


def load_json_text(text: str, name: str):
    """JSON ``text``: numbers as exact decimals (integers as int), NaN and Infinity refused,
    the limits above enforced; a failure is an :class:`InputError` at ``name:line:column``."""
    def no_constant(token):
        raise ValueError(f"{token} is not a number")

    if len(text) > MAX_DOCUMENT_BYTES:
        raise _too_large(f"{len(text.encode('utf-8')):,} bytes: a JSON document has at most {MAX_DOCUMENT_BYTES:,}",
                         f"JSON 文档不得超过 {MAX_DOCUMENT_BYTES:,} 字节", name)
    try:
        data = json.loads(text, parse_float=_json_number(Decimal), parse_int=_json_number(int),
                          parse_constant=no_constant)
    except _Refused as exc:
        raise InputError(exc.message, where=_long_number_place(text, name), code=exc.code,
                         message_zh=exc.message_zh) from None
    except json.JSONDecodeError as exc:
        raise InputError(f"malformed JSON: {exc.msg}", where=f"{name}:{exc.lineno}:{exc.colno}", code="input",
                         message_zh=f"JSON 格式错误：{exc.msg}") from None
    except ValueError as exc:
        raise InputError(f"malformed JSON: {exc}", where=_constant_place(text, name), code="input",
                         message_zh="JSON 格式错误：NaN 与 Infinity 不是数字") from None
    except RecursionError:
        raise _too_large(f"nested too deeply (at most {MAX_DEPTH} levels)", f"嵌套过深（最多 {MAX_DEPTH} 层）", name) from None
    if not _plainly_within(text, data):
        _check_shape(data, name)  # the walk that finds the first place over a limit, and says which
    return data


def _plainly_within(text: str, data) -> bool:
    """True only when the JSON ``data`` parsed from ``text`` is within MAX_DEPTH and MAX_ENTRIES (then
    :func:`_check_shape` has nothing to refuse); False when it is not, or may not be.

    Cheap bounds from the text first: every entry (a key with its value, a list item) takes at least one
    character of its own, and a container at depth d is inside d others, each opened by its own ``{`` or
    ``[``. Otherwise a walk level by level over what json.loads makes (plain dicts and lists only)."""
    if len(text) <= MAX_ENTRIES and text.count("{") + text.count("[") <= MAX_DEPTH:
        return True
    entries, depth, level = 0, 0, [data] if type(data) is dict or type(data) is list else []
    while level:
        if depth >= MAX_DEPTH:
            return False
        below = []
        for node in level:
            children = node.values() if type(node) is dict else node
            entries += len(children)
            below += [c for c in children if type(c) is dict or type(c) is list]
        if entries > MAX_ENTRIES:
            return False
        level, depth = below, depth + 1
    return True


def _check_shape(data, name: str) -> None:
    """Refuse a parsed document deeper than MAX_DEPTH or with more than MAX_ENTRIES entries
    (walked without recursion, so the check itself cannot overflow the stack)."""
    entries = 0
    stack = [(data, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth >= MAX_DEPTH:
            raise _too_large(f"nested more than {MAX_DEPTH} levels deep", f"嵌套超过 {MAX_DEPTH} 层", name)
        entries += len(children)
        if entries > MAX_ENTRIES:
            raise _too_large(f"more than {MAX_ENTRIES:,} keys and list items in one document",
                             f"文档的键与列表项超过 {MAX_ENTRIES:,} 个", name)
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))


def _long_number_place(text: str, name: str) -> str:
    """``name:line:col`` of the first number longer than MAX_NUMBER_CHARS outside strings."""
    import re

    for m in re.finditer(r'"(?:[^"\\]|\\.)*"|([-+0-9.eE]{' + str(MAX_NUMBER_CHARS + 1) + ",})", text):
        if m.group(1):
            line = text.count("\n", 0, m.start()) + 1
            col = m.start() - text.rfind("\n", 0, m.start())
            return f"{name}:{line}:{col}"
    return name


def _constant_place(text: str, name: str) -> str:
    """``name:line:col`` of the first bare NaN/Infinity (the decoder does not say where it was)."""
    import re

    for m in re.finditer(r'"(?:[^"\\]|\\.)*"|(-?Infinity|NaN)', text):
        if m.group(1):
            line = text.count("\n", 0, m.start()) + 1
            col = m.start() - text.rfind("\n", 0, m.start())
            return f"{name}:{line}:{col}"
    return name


# -- reading bytes: regular files only, bounded, never waiting ---------------------------------

def read_bytes(path, limit: int = MAX_DOCUMENT_BYTES, name: str | None = None) -> bytes:
    """At most ``limit`` bytes of the regular file ``path`` (a path, or an importlib.resources
    Traversable), refusing, without waiting on it, anything that is not a regular file.

    The file is opened non-blocking and checked on its descriptor (a FIFO named ``x.yaml`` is
    never read; the check and the read are of the same file), and its size is checked before
    a byte is read.
    """
    name = name or str(path)
    if not isinstance(path, (str, os.PathLike)):  # a Traversable inside a zip or another loader
        if not path.is_file():
            raise _not_a_file("is not a regular file", "不是普通文件", name)
        try:
            with path.open("rb") as handle:
                data = handle.read(limit + 1)
        except OSError as exc:
            raise _not_a_file(f"cannot be read ({exc.strerror or exc})", "无法读取", name) from None
        return _within(data, limit, name)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        if os.path.lexists(path):
            raise _not_a_file("is a broken symbolic link (its target does not exist)", "是失效的符号链接（目标不存在）", name) from None
        raise _not_a_file("file not found", "文件不存在", name) from None
    except IsADirectoryError:
        raise _not_a_file("is a directory, not a file", "是目录，不是文件", name) from None
    except OSError as exc:
        raise _not_a_file(f"cannot be opened ({exc.strerror or exc})", "无法打开", name) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind, kind_zh = (("a directory", "目录") if stat.S_ISDIR(info.st_mode)
                             else ("a FIFO (named pipe)", "命名管道") if stat.S_ISFIFO(info.st_mode)
                             else ("a device", "设备") if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode)
                             else ("a socket", "套接字"))
            raise _not_a_file(f"is {kind}, not a regular file", f"是{kind_zh}，不是普通文件", name)
        if info.st_size > limit:
            raise _too_large(f"{info.st_size:,} bytes: at most {limit:,} are read", f"文件过大（{info.st_size:,} 字节，上限 {limit:,}）", name)
        os.set_blocking(fd, True)
        chunks, left = [], limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise _not_a_file(f"cannot be read ({exc.strerror or exc})", "无法读取", name) from None
    finally:
        os.close(fd)
    return _within(b"".join(chunks), limit, name)


def read_head(path, size: int) -> bytes | None:
    """The first ``size`` bytes of ``path`` when it is a regular file, else None, never waiting:
    to sniff a file's kind (a workbook named without its suffix) before choosing its reader, which
    then refuses a FIFO, a directory or a device with its finding. Opened non-blocking and checked
    on the descriptor, as :func:`read_bytes` does, so a FIFO is never read."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except (OSError, TypeError, ValueError):
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        os.set_blocking(fd, True)
        return os.read(fd, size)
    except OSError:
        return None
    finally:
        os.close(fd)


def _within(data: bytes, limit: int, name: str) -> bytes:
    if len(data) > limit:
        raise _too_large(f"more than {limit:,} bytes", f"超过 {limit:,} 字节", name)
    return data


def _not_a_file(message: str, message_zh: str, name: str) -> InputError:
    return InputError(message, where=name, code="not_a_file", message_zh=message_zh)


_BOMS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"), (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"))


def decode(data: bytes, name: str) -> str:
    """UTF-8 text of ``data`` (a UTF-8 byte-order mark, as Windows Notepad writes, is dropped);
    any other encoding is refused with a message that says which and what to do."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            raise InputError(f"the file is {encoding} text (it starts with a {encoding} byte-order mark); save it as UTF-8",
                             where=name, code="encoding", message_zh=f"文件为 {encoding} 编码（以字节顺序标记开头），请另存为 UTF-8")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(
            f"the file is not UTF-8 text: byte 0x{data[exc.start]:02X} cannot be read as UTF-8 (text saved as GBK/GB18030 "
            f"or another legacy encoding?); save it as UTF-8",
            where=f"{name}:{line}:{col}", code="encoding",
            message_zh=f"文件不是 UTF-8 编码：字节 0x{data[exc.start]:02X} 无法按 UTF-8 读取（是否以 GBK/GB18030 等编码保存？），请另存为 UTF-8",
        ) from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise InputError("the file holds NUL characters: UTF-16 text without a byte-order mark, or not a text file; save it as UTF-8",
                         where=f"{name}:{line}", code="encoding", message_zh="文件含 NUL 字符：可能是无字节顺序标记的 UTF-16 文本或非文本文件，请另存为 UTF-8")
    return text


def read_text(path, limit: int | None = None, name: str | None = None) -> tuple[str, str]:
    """(text, display name) of a document, bounded as above; ``-`` reads standard input.

    ``limit`` defaults by suffix: MAX_YAML_BYTES for ``.yaml``/``.yml``, else MAX_DOCUMENT_BYTES.
    """
    if str(path) == "-":
        stream = getattr(sys.stdin, "buffer", None)
        limit = limit or MAX_DOCUMENT_BYTES
        raw = stream.read(limit + 1) if stream is not None else sys.stdin.read(limit + 1).encode("utf-8")
        return decode(_within(raw, limit, "<stdin>"), "<stdin>"), "<stdin>"
    name = name or str(path)
    if limit is None:
        limit = MAX_YAML_BYTES if name.endswith((".yaml", ".yml")) else MAX_DOCUMENT_BYTES
    return decode(read_bytes(path, limit, name), name), name


def parse_document(data: bytes | str, name: str, kind: str = "json"):
    """A document received as bytes or text (an HTTP body, a file a host application read):
    decoded and parsed under the same limits as a file; ``kind`` is ``json`` or ``yaml``."""
    limit = MAX_YAML_BYTES if kind == "yaml" else MAX_DOCUMENT_BYTES
    if isinstance(data, bytes):
        data = decode(_within(data, limit, name), name)
    if kind == "yaml":
        return load_yaml_text(data, name)[0]
    return load_json_text(data, name)


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
    if target.is_dir():
        raise OutputError("is a directory; give a file name to write", where=str(target), message_zh="是目录，请给出要写入的文件名")
    if not directory.is_dir():
        raise OutputError(f"cannot be written: directory {str(directory)!r} does not exist", where=str(target),
                          message_zh=f"无法写入：目录 {directory} 不存在")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputError(f"cannot be written: {exc.strerror or exc}", where=str(target), message_zh="无法写入") from None
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
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError):  # a full disk, a target that is not a file: the old file is kept
            raise OutputError(f"cannot be written: {exc.strerror or exc}; nothing was changed", where=str(target),
                              message_zh="无法写入，原文件未改动") from None
        raise


def to_json(data) -> str:
    def default(value):
        if isinstance(value, Decimal):
            return format(value, "f")
        if hasattr(value, "model_dump"):
            return value.model_dump(mode="json")
        raise TypeError(f"not serialisable: {type(value).__name__}")

    return json.dumps(data, ensure_ascii=False, indent=2, default=default) + "\n"
