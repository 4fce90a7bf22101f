"""Read YAML the way the Kubernetes API server reads a manifest, fast on big dumps.

The API server reads YAML through sigs.k8s.io/yaml: go-yaml v2 (YAML 1.1-ish) then JSON. So
`yes`/`on`/`y` are true, `0755` is 493, `1_000` is 1000, unquoted timestamps stay strings,
non-string map keys become strings, and documents whose alias expansion is excessive are
refused. `K8sLoader` (PyYAML, libyaml when present) implements those rules and is the reference.

The fast path hands each document to yaml_rs (a Rust YAML 1.2 parser, ~20x faster than
libyaml through PyYAML) only when the document holds nothing on which YAML 1.2 and go-yaml v2
may disagree: no plain scalar that is a YAML 1.1 boolean or an unusual number, no tag, alias,
merge key, directive or complex key. `kubectl get -o yaml` quotes every such string, so real
dumps take the fast path; hand-written manifests that use `yes` or `0755` take PyYAML, which
is fast enough for their size. Whatever yaml_rs refuses is read again by PyYAML, which gives
the error (with its line) or the value.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import chain
from typing import Any

import yaml

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

try:  # optional: without it every document goes through PyYAML
    import yaml_rs as _yaml_rs
except ImportError:  # pragma: no cover - exercised by the fallback test via monkeypatch
    _yaml_rs = None


class YamlError(Exception):
    """A document that cannot be read: `line` is 1-based (0 when unknown)."""

    def __init__(self, line: int, problem: str) -> None:
        super().__init__(problem)
        self.line = line
        self.problem = problem


# --- go-yaml v2 scalar rules ---------------------------------------------------------------

_GO_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_GO_INT_BODY = (
    (re.compile(r"0[xX]([0-9a-fA-F]+)"), 16),
    (re.compile(r"0[oO]([0-7]+)"), 8),
    (re.compile(r"0[bB]([01]+)"), 2),
    (re.compile(r"0([0-7]+)"), 8),
    (re.compile(r"([0-9]+)"), 10),
)
_INT64_MIN, _INT64_MAX, _UINT64_MAX = -(2**63), 2**63 - 1, 2**64 - 1
NUMBER_TAG = "tag:mlview.io,2026:go-number"


def go_number(text: str) -> int | float | str:
    """A plain scalar that starts like a number, as go-yaml v2 resolves it (Go's ParseInt
    with base 0 after dropping underscores, then its float pattern, else a string)."""
    plain = text.replace("_", "")
    sign = plain[:1] if plain[:1] in "+-" else ""
    body = plain[len(sign) :]
    for pattern, base in _GO_INT_BODY:
        m = pattern.fullmatch(body)
        if m:
            value = int(m.group(1), base) * (-1 if sign == "-" else 1)
            if _INT64_MIN <= value <= _INT64_MAX or (not sign and value <= _UINT64_MAX):
                return value
            break
    if _GO_FLOAT.fullmatch(plain):
        return float(plain)
    return text


class K8sLoader(_Base):  # type: ignore[misc,valid-type]
    """PyYAML with go-yaml v2's implicit types, as the API server reads a manifest."""

    yaml_implicit_resolvers: dict[str, list[tuple[str, re.Pattern[str]]]] = {}


def _bool(loader: Any, node: yaml.ScalarNode) -> bool:
    return str(loader.construct_scalar(node)).lower() in ("y", "yes", "true", "on")


def _number(loader: Any, node: yaml.ScalarNode) -> int | float | str:
    return go_number(str(loader.construct_scalar(node)))


def _as_text(loader: Any, node: yaml.ScalarNode) -> str:
    return str(loader.construct_scalar(node))


def _untyped(loader: Any, suffix: str, node: yaml.Node) -> Any:
    """go-yaml keeps the value of an unknown tag (`!Ref x`) and drops the tag."""
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_scalar(node)


def _key_text(key: Any) -> Any:
    """sigs.k8s.io/yaml turns int, float and bool keys into JSON strings."""
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, int):
        return str(key)
    if isinstance(key, float):
        return str(int(key)) if key.is_integer() and abs(key) < 1e6 else repr(key)
    return key


def _mapping(loader: Any, node: yaml.MappingNode) -> dict[Any, Any]:
    # SafeConstructor's own map construction, then the key rule above.
    loader.flatten_mapping(node)
    data: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key is None or isinstance(key, (list, dict)):
            raise yaml.constructor.ConstructorError(
                None, None, f"unsupported map key {key!r}", key_node.start_mark
            )
        data[_key_text(key)] = loader.construct_object(value_node, deep=True)
    return data


def _map_constructor(loader: Any, node: yaml.MappingNode) -> Any:
    data: dict[Any, Any] = {}
    yield data
    data.update(_mapping(loader, node))


K8sLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(
        r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE"
        r"|on|On|ON|off|Off|OFF)$"
    ),
    list("yYnNtTfFoO"),
)
K8sLoader.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)
K8sLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    list("-+."),
)
K8sLoader.add_implicit_resolver(
    NUMBER_TAG, re.compile(r"^[-+]?\.?[0-9][0-9a-zA-Z_.+-]*$"), list("-+.0123456789")
)
K8sLoader.add_implicit_resolver("tag:yaml.org,2002:merge", re.compile(r"^(?:<<)$"), ["<"])
K8sLoader.add_constructor("tag:yaml.org,2002:bool", _bool)
K8sLoader.add_constructor(NUMBER_TAG, _number)
K8sLoader.add_constructor("tag:yaml.org,2002:timestamp", _as_text)
K8sLoader.add_constructor("tag:yaml.org,2002:map", _map_constructor)
K8sLoader.add_multi_constructor("!", _untyped)


# --- alias budget (go-yaml v2's rule against "billion laughs") -----------------------------


def _alias_ratio(decoded: int) -> float:
    """go-yaml v2 allowedAliasRatio: 99% for small documents, down to 10% for huge ones."""
    if decoded <= 400_000:
        return 0.99
    if decoded >= 4_000_000:
        return 0.10
    return 0.99 - 0.89 * (decoded - 400_000) / 3_600_000


def check_aliases(node: yaml.Node) -> None:
    """Refuse a document whose aliases expand past go-yaml v2's budget, without expanding."""
    sizes: dict[int, int] = {}
    unique = 0

    def size(n: yaml.Node) -> int:
        nonlocal unique
        known = sizes.get(id(n))
        if known is not None:
            return known
        unique += 1
        total = 1
        if isinstance(n, yaml.SequenceNode):
            total += sum(size(c) for c in n.value)
        elif isinstance(n, yaml.MappingNode):
            total += sum(size(k) + size(v) for k, v in n.value)
        sizes[id(n)] = total
        return total

    decoded = size(node)
    aliased = decoded - unique
    if aliased > 100 and decoded > 1000 and aliased / decoded > _alias_ratio(decoded):
        raise YamlError(
            node.start_mark.line + 1,
            f"document contains excessive aliasing ({decoded:,} nodes once aliases are "
            "expanded; refused as the API server does)",
        )


def load_pyyaml(text: str, line_offset: int = 0) -> list[Any]:
    """Every document of `text` through K8sLoader, with the alias budget."""
    loader = K8sLoader(text)
    docs: list[Any] = []
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                continue
            check_aliases(node)
            docs.append(loader.construct_document(node))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 + line_offset if mark is not None else 0
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise YamlError(line, problem) from None
    except YamlError as exc:
        raise YamlError(exc.line + line_offset, exc.problem) from None
    except RecursionError:
        raise YamlError(0, "nested too deeply") from None
    finally:
        loader.dispose()
    return docs


# --- fast path -------------------------------------------------------------------------------

# A plain scalar token starts after a space, tab, newline, `[`, `{` or `,` and ends before
# spaces then end of line or comment, `: `, `,`, `]` or `}`. The boundary character is
# consumed (a literal-prefix scan is several times faster in `re` than a lookbehind).
_BOUNDARY = r"[ \t\n\[{,]"
_GUARD = r"(?=[-+._0-9yYnNoOtTfF~<!*?&])"  # first characters of anything below: cheap reject
_END = r"(?=[ \t]*(?:$|#|:(?:\s|$)|[,\]}]))"
_BOOL11 = r"y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF"
# Numbers on which YAML 1.2 and go-yaml may differ: every number-like token except plain
# decimal ints (up to 18 digits) and plain decimal fractions.
_ODD_NUMBER = (
    r"(?!-?(?:0|[1-9][0-9]{0,17})(?:\.[0-9]+)?" + _END + r")"
    r"(?:[-+]?_*(?:\.[0-9_]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9_]+)?"
    r"|[-+]?_*0[xXoObB][0-9a-fA-F_]*|[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN)"
    # go-yaml drops every `_` of a number-like token first (`0_O7` is 7): any `_` is odd
    r"|[-+]?[._0-9][0-9a-zA-Z.+-]*_[0-9a-zA-Z_.+-]*)"
)
# Keys that are not strings to go-yaml (bool, null, number): sigs.k8s.io/yaml rewrites them.
_ODD_KEY = (
    r"(?:" + _BOOL11 + r"|true|True|TRUE|false|False|FALSE|~|null|Null|NULL"
    r"|[-+]?[._]*[0-9][0-9a-zA-Z_.+-]*)(?=[ \t]*:(?:\s|$))"
)
_TOKEN = (
    _GUARD
    + r"(?:(?:"
    + _BOOL11
    + r")"
    + _END
    + r"|(?=[-+._0-9])"
    + _ODD_NUMBER
    + _END
    # odd keys; tags, anchors, aliases, merge keys, complex keys
    + r"|"
    + _ODD_KEY
    + r"|!|&[^\s]|\*[^\s,\[\]{}'\"]|<<|\?(?:\s|$))"
)
_RISKY = re.compile(_BOUNDARY + _TOKEN, re.MULTILINE)
_RISKY_AT_START = re.compile(_TOKEN, re.MULTILINE)
# A tab in indentation or after a `- ` entry: libyaml and go-yaml refuse, yaml_rs may not.
_TAB_INDENT = re.compile(r"\n[ -]*\t")
# A flow collection with content (`{app: x}`, `[a, b]`; kubectl writes only empty ones): YAML
# 1.2 and libyaml differ on many flow corner cases, so PyYAML reads those documents.
_FLOW_OPEN = re.compile(r"[\[{](?<![^\s\[{,].)(?![ \t]*[\]}])")
# An empty (null) key (`: v` at a line start, after `- `, in a flow collection), and the flow
# forms YAML 1.2 allows but libyaml and go-yaml refuse (`[a:, b]`, `[:a]`, `{k: :0}`): a `:`
# after whitespace or a flow indicator, or before `,`, `]`, `}` (a scan for `:`: fast).
_ODD_COLON = re.compile(r":(?:(?<=[\s\[{,]:)|[,\]}])")
# A `|` or `>` starting a token that is no block header (`a: |x`, `[|, x]`): YAML 1.2 may read
# a plain scalar where libyaml and go-yaml refuse.
_ODD_BAR = re.compile(r"[|>](?<![^\s\[{,].)(?![-+0-9]*[ \t]*(?:#[^\n]*)?$)", re.MULTILINE)
# A line opening a block scalar; lines with a `#` never count (a comment could end in `|`).
_BLOCK_HEADER = re.compile(r"^[^#]*(?:^|[ \t:-])[|>][-+1-9]{0,2}[ \t]*$")
_DOC_MARKER = re.compile(r"\n(?:---|\.\.\.)(?=[ \t\n]|$)")  # after a newline: fast scan
_MAX_LINES_WALKED = 5_000_000  # past this, reading with PyYAML is cheaper than checking


def _in_block_scalar(text: str, pos: int) -> tuple[bool, int]:
    """True when the line holding `pos` is the body of a `|` or `>` block scalar: walk up
    to ever less indented lines until one opens a block scalar (inside) or indent 0 (not).
    Also says how many lines it walked."""
    line_start = text.rfind("\n", 0, pos) + 1
    line_end = text.find("\n", pos)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    indent = len(line) - len(line.lstrip(" "))
    end = line_start - 1
    walked = 0
    while indent > 0 and end > 0:
        walked += 1
        start = text.rfind("\n", 0, end) + 1
        prev = text[start:end]
        end = start - 1
        stripped = prev.lstrip(" ")
        if not stripped.strip():
            continue
        prev_indent = len(prev) - len(stripped)
        if prev_indent < indent:
            if _BLOCK_HEADER.search(prev):
                return True, walked
            indent = prev_indent
    return False, walked


def _ends_in_empty_block_scalar(text: str) -> bool:
    """`key: |` with nothing after it: yaml_rs reads "\\n", libyaml and go-yaml ""."""
    lines = text.rstrip().rsplit("\n", 2)
    if lines[-1].strip() == "..." and len(lines) > 1:
        lines.pop()
    last = lines[-1]
    return bool(_BLOCK_HEADER.search(last)) or ("#" in last and ("|" in last or ">" in last))


def needs_reference(text: str) -> bool:
    """True when `text` may hold something YAML 1.2 reads differently from go-yaml v2."""
    if "\r" in text or "\x85" in text or "\u2028" in text or "\u2029" in text:
        return True
    if text.startswith("%") or "\n%" in text or _RISKY_AT_START.match(text):
        return True  # a directive, or a token at the very start
    if _TAB_INDENT.match("\n" + text[:200]):
        return True  # a tab in the first line's indentation
    if text.startswith(":") or _ODD_COLON.search(text):
        return True
    if _ODD_BAR.search(text):
        return True
    if _ends_in_empty_block_scalar(text):
        return True
    budget = _MAX_LINES_WALKED
    if text.startswith(("[", "{")):
        return True
    for m in chain(_RISKY.finditer(text), _TAB_INDENT.finditer(text), _FLOW_OPEN.finditer(text)):
        inside, walked = _in_block_scalar(text, m.start() + 1)
        budget -= walked
        if not inside or budget < 0:
            return True
        if m.group().endswith("\t") and _opens_block(text, m.start()):
            return True  # libyaml refuses a tab on a block scalar's first line
    return False


def _opens_block(text: str, line_end: int) -> bool:
    """True when the last non-blank line ending at or before `line_end` is a block header."""
    while line_end > 0:
        start = text.rfind("\n", 0, line_end) + 1
        line = text[start:line_end]
        if line.strip():
            return bool(_BLOCK_HEADER.search(line))
        line_end = start - 1
    return False


def _chunks(text: str) -> list[tuple[int, str]]:
    """(line offset, text) of each document: split before `---` and after `...` lines
    (markers cannot occur inside a scalar at column 0, so this split is exact)."""
    cuts = [0]
    for m in _DOC_MARKER.finditer("\n" + text):  # positions shift by one: m.start() is ours
        if m.group().endswith("-"):
            cuts.append(m.start())
        else:
            nl = text.find("\n", m.end() - 1)
            cuts.append(len(text) if nl < 0 else nl + 1)
    cuts.append(len(text))
    out = []
    line = 0
    for a, b in zip(cuts, cuts[1:], strict=False):
        if b > a:
            out.append((line, text[a:b]))
            line += text.count("\n", a, b)
    return out


def _fast_loads() -> Callable[[str], Any] | None:
    if _yaml_rs is None:
        return None
    policy = _yaml_rs.DuplicateKeyPolicy.LastWins  # as PyYAML and go-yaml v2

    def loads(chunk: str) -> Any:
        return _yaml_rs.loads(chunk, parse_datetime=False, duplicate_key_policy=policy)

    return loads


_ITEMS_KEY = re.compile(r"(?:^|\n)items:[ \t]*\n(?=- )")  # a List's items, kubectl style
_ITEM_START = re.compile(r"\n(?=- )")
_COLUMN0 = re.compile(r"\n(?=[^-\s#])")  # the first top-level line after the items
BATCH_CHARS = 256 * 1024  # items are read a batch at a time: a small peak on top of the result
BATCH_FROM = 4 * BATCH_CHARS  # smaller documents are read whole


class _NotBatchable(Exception):
    """The item-by-item reading does not fit this document: read it whole instead."""


def _read_chunk(chunk: str, offset: int, fast: Callable[[str], Any]) -> list[Any]:
    if needs_reference(chunk):
        return load_pyyaml(chunk, offset)
    try:
        return [fast(chunk)]
    except Exception:  # yaml_rs refused: PyYAML gives the value or the error line
        return load_pyyaml(chunk, offset)


def _read_list_in_batches(
    chunk: str, fast: Callable[[str], Any], each_item: Callable[[Any], None] | None
) -> Any:
    """A big `kind: List` document, its items a batch at a time (each_item sees each one as
    it is read, so a caller can drop what it never keeps before the next batch is built)."""
    m = _ITEMS_KEY.search(chunk)
    if m is None:
        raise _NotBatchable
    first = m.end()
    end_m = _COLUMN0.search(chunk, first)
    end = end_m.start() + 1 if end_m else len(chunk)
    head_lines = chunk[: m.start()] + "\nitems: []\n" + chunk[end:]
    try:
        head = _read_chunk(head_lines, 0, fast)
    except YamlError:  # the whole document will say where, if it is broken
        raise _NotBatchable from None
    if len(head) != 1 or not isinstance(head[0], dict) or head[0].get("items") != []:
        raise _NotBatchable
    items: list[Any] = []
    start = first
    while start < end:
        cut = _ITEM_START.search(chunk, min(start + BATCH_CHARS, end - 1), end)
        stop = cut.start() + 1 if cut else end
        try:
            batch = _read_chunk(chunk[start:stop], 0, fast)
        except YamlError:  # e.g. an alias to an anchor in another batch
            raise _NotBatchable from None
        if len(batch) != 1 or not isinstance(batch[0], list):
            raise _NotBatchable
        if each_item is not None:
            for item in batch[0]:
                each_item(item)
        items.extend(batch[0])
        start = stop
    head[0]["items"] = items
    return head[0]


def load_all(text: str, each_item: Callable[[Any], None] | None = None) -> list[Any]:
    """Every document in `text` as the API server would read it. Raises YamlError.
    `each_item` may be called on items of big Lists as they are read (it may change them)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    fast = _fast_loads()
    if fast is None:
        return load_pyyaml(text)
    docs: list[Any] = []
    for offset, chunk in _chunks(text):
        if len(chunk) >= BATCH_FROM:
            try:
                docs.append(_read_list_in_batches(chunk, fast, each_item))
                continue
            except _NotBatchable:
                pass
        docs.extend(_read_chunk(chunk, offset, fast))
    return docs
