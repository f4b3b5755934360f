"""Provider profiles: what a candidate ecommerce provider would bring, read from a YAML or JSON file.

Finance writes one profile per candidate before the vendor meeting: where the
provider hosts and stores data, which CDN serves the store, where it holds
stock, the currencies it prices and settles in, where it acts as marketplace
facilitator or merchant of record, the channels it brings, and its answers on
the integration points that touch tax and books (docs/provider.md).

YAML is read because profiles are written by hand and need comments; JSON is
read too. Both are read into a tree that keeps each value's line, so a bad
region code, an unknown CDN or an unknown answer word is one line naming the
file, the line and the key (``shopkit.yaml:14: hosting.regions[2]
'us-central9': is not a known gcp region ...``). Scalars are kept as written:
YAML 1.1 would read ``NO`` (Norway) as false and ``yes`` as true, and a
profile means neither.
"""
from __future__ import annotations

import difflib
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Sequence

from nexus import datafiles
from nexus import currencies, places, presence, review
from nexus.errors import InputError, Location, NexusError

ANSWERS = ("yes", "no", "partial", "unknown")
ROLES = ("marketplace_facilitator", "merchant_of_record")
CHANNELS = ("marketplace", "reseller", "affiliate")
#: What a move to a provider takes away from today's presence file unless the profile says otherwise: the
#: third-party hosting the current provider supplies (docs/provider.md, "replaces").
DEFAULT_REPLACES = ("cloud-region", "cdn", "data-files")
TOP_KEYS = ("name", "description", "hosting", "cdn", "pops", "stock", "currencies", "settlement_currency", "role",
            "channels", "replaces", "export", "integration")
HOSTING_KEYS = ("cloud", "regions", "data_storage", "backup_regions", "dedicated")


# ---------------------------------------------------------------- a tree that remembers lines

@dataclass(frozen=True)
class Node:
    """A value of the profile with its line (None where the reader cannot say) and its key path."""

    value: Any  # dict[str, Node], list[Node], str, or None
    line: int | None
    path: str
    #: The line of the key this value belongs to (a block's value starts on the next line).
    key_line: int | None = None


def _yaml_tree(text: str, path: str) -> Node:
    import yaml

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise InputError(f"is not valid YAML: {exc.problem or exc.context}",
                         Location(path, mark.line + 1 if mark else None)) from None
    except yaml.YAMLError as exc:
        raise InputError(f"is not valid YAML: {exc}", Location(path)) from None
    if root is None:
        raise InputError("is empty", Location(path))
    return _from_yaml(root, path, "", set(), [0])


#: More values than any profile holds: an alias repeated into millions of nodes (a "billion laughs") stops here.
MAX_NODES = 100_000


def _from_yaml(node: Any, path: str, where: str, open_nodes: set[int], count: list[int]) -> Node:
    """The tree under ``node``; an alias that contains itself, or one that multiplies the profile past
    :data:`MAX_NODES` values, is an error rather than a hang."""
    import yaml

    line = node.start_mark.line + 1
    count[0] += 1
    if count[0] > MAX_NODES:
        raise InputError(f"holds more than {MAX_NODES:,} values (aliases repeated?): not a provider profile",
                         Location(path, line))
    if id(node) in open_nodes:
        raise InputError(f"{where or 'the profile'}: an alias refers to a value that contains it", Location(path, line))
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
        open_nodes.add(id(node))
        try:
            return _collection(node, path, where, open_nodes, count)
        finally:
            open_nodes.discard(id(node))
    if node.tag == "tag:yaml.org,2002:null":
        return Node(None, line, where)
    return Node(str(node.value), line, where)


def _collection(node: Any, path: str, where: str, open_nodes: set[int], count: list[int]) -> Node:
    import yaml

    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        found: dict[str, Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise InputError(f"{where or 'the profile'}: a key must be a word", Location(path, line))
            key = key_node.value
            if key in found:
                raise InputError(f"{_join(where, key)}: given twice (first on line {found[key].line})",
                                 Location(path, key_node.start_mark.line + 1))
            child = _from_yaml(value_node, path, _join(where, key), open_nodes, count)
            found[key] = Node(child.value, child.line, child.path, key_node.start_mark.line + 1)
        return Node(found, line, where)
    return Node([_from_yaml(item, path, f"{where}[{i}]", open_nodes, count)
                 for i, item in enumerate(node.value, start=1)], line, where)


def _from_json(value: Any, where: str) -> Node:
    """A JSON document that YAML cannot compose (rare: tabs for indentation), without lines."""
    if isinstance(value, dict):
        return Node({str(k): _from_json(v, _join(where, str(k))) for k, v in value.items()}, None, where)
    if isinstance(value, list):
        return Node([_from_json(v, f"{where}[{i}]") for i, v in enumerate(value, start=1)], None, where)
    if value is None:
        return Node(None, None, where)
    if isinstance(value, bool):
        return Node("true" if value else "false", None, where)
    return Node(str(value), None, where)


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def read_tree(path: str) -> Node:
    """The profile as a tree of :class:`Node`; a file that is not UTF-8 YAML or JSON is one line naming it."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise InputError(f"cannot be opened ({exc.strerror})", Location(path)) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise InputError("is not UTF-8 text", Location(path, line)) from None
    if path.lower().endswith(".json"):
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"is not valid JSON: {exc.msg} (column {exc.colno})", Location(path, exc.lineno)) from None
        try:
            return _yaml_tree(text, path)
        except InputError:
            return _from_json(document, "")
    return _yaml_tree(text, path)


# ---------------------------------------------------------------- the checklist nexus asks

@dataclass(frozen=True)
class Question:
    """One item of the integration checklist (``data/provider-checklist.json``)."""

    key: str
    group: str  # export | integration
    asks: str
    if_not: str
    see: str


@lru_cache(maxsize=None)
def _checklist_document() -> dict[str, Any]:
    return datafiles.document("provider-checklist.json")


@lru_cache(maxsize=None)
def questions() -> tuple[Question, ...]:
    """The checklist's questions, export items first, in the file's order."""
    return tuple(Question(q["key"], q["group"], q["asks"], q["if_not"], q["see"])
                 for q in _checklist_document()["items"])


def channel_meanings() -> dict[str, str]:
    """What each channel a provider brings means for tax and books, in words."""
    return dict(_checklist_document()["channels"])


# ---------------------------------------------------------------- the profile

@dataclass(frozen=True)
class Answer:
    """A profile's answer to one checklist question. ``given`` is False where the profile is silent."""

    key: str
    answer: str
    note: str
    reference: str
    given: bool
    source: Location


@dataclass(frozen=True)
class Profile:
    """One candidate provider, as its profile describes it.

    ``items`` is the presence the provider would bring, as presence-file items
    whose source is the profile's line (hosting regions, data storage, backups,
    CDN points of presence grouped per jurisdiction, stock). ``facilitator`` and
    ``merchant`` list the places (``US``, ``US-CA``, ``EU``, ``GB``) where it acts
    so; ``replaces`` the kinds of today's third-party items (or exact locations)
    the move takes away.
    """

    name: str
    path: str
    description: str
    cloud: str
    items: tuple[presence.Item, ...]
    cdns: tuple[str, ...]
    currencies: tuple[str, ...]
    currency_source: str
    settlement: str
    facilitator: tuple[str, ...]
    merchant: tuple[str, ...]
    channels: tuple[str, ...]
    replaces: tuple[str, ...]
    answers: tuple[Answer, ...]
    warnings: tuple[str, ...] = ()
    #: Where the profile or its list holds each code (:class:`nexus.review.Listed`): a withdrawn or unknown code is
    #: named on the screen with its line.
    currency_lines: tuple[review.Listed, ...] = ()


#: How much of a value an error quotes: an order export given as the profile is one YAML scalar, the whole file.
_QUOTED = 60


def _quoted(value: str) -> str:
    """The value as an error quotes it, cut after :data:`_QUOTED` characters: 'provider compare orders.csv' printed
    the whole export on the error's line."""
    return repr(value) if len(value) <= _QUOTED else f"{value[:_QUOTED]!r}... ({len(value):,} characters)"


class _Reader:
    """Reads one profile's tree, naming the file, line and key of anything it cannot use."""

    def __init__(self, path: str):
        self.path = path

    def at(self, node: Node) -> Location:
        return Location(self.path, node.line)

    def fail(self, node: Node, message: str) -> InputError:
        shown = f" {_quoted(node.value)}" if isinstance(node.value, str) else ""
        return InputError(f"{node.path or 'the profile'}{shown}: {message}", self.at(node))

    def mapping(self, node: Node, allowed: Sequence[str]) -> dict[str, Node]:
        if not isinstance(node.value, dict):
            raise self.fail(node, f"should hold keys ({', '.join(allowed)})")
        for key, child in node.value.items():
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=2)
                hint = f"; did you mean {' or '.join(close)}?" if close else f"; keys: {', '.join(allowed)}"
                where = f"{node.path}: " if node.path else ""
                raise InputError(f"{where}{key!r} is not a key nexus reads here{hint}",
                                 Location(self.path, child.key_line or child.line))
        return node.value

    def items(self, node: Node | None) -> list[Node]:
        """A list, or one value written alone (``cdn: cloudflare``); nothing for an absent or empty key."""
        if node is None or node.value is None:
            return []
        if isinstance(node.value, list):
            for child in node.value:
                if not isinstance(child.value, str):
                    raise self.fail(child, "should be a word or code, not a list or keys")
            return [c for c in node.value if c.value.strip()]
        if isinstance(node.value, str):
            return [node] if node.value.strip() else []
        raise self.fail(node, "should be a list")

    def text(self, node: Node | None) -> str:
        if node is None or node.value is None:
            return ""
        if not isinstance(node.value, str):
            raise self.fail(node, "should be text")
        return node.value.strip()

    def place(self, node: Node, location: str | None = None) -> None:
        """Check that a location can be placed (a provider code, a country, a US state): the presence rules."""
        try:
            presence.place_of(location or node.value, self.at(node))
        except InputError as exc:
            raise self.fail(node, exc.message) from None


def _dedicated(reader: _Reader, node: Node | None) -> bool | None:
    word = reader.text(node).lower()
    if word in ("", "unknown"):
        return None
    if word in ("yes", "true"):
        return True
    if word in ("no", "false"):
        return False
    raise reader.fail(node, "is not yes, no or unknown")  # type: ignore[arg-type]


def _looks_like_place(text: str) -> bool:
    """``US-TX``, ``DE``, ``Dallas, US-TX``: a place, not a cloud's region code (``us-central1``)."""
    return "," in text or text.isupper()


def _hosting(reader: _Reader, node: Node | None) -> tuple[str, list[presence.Item]]:
    if node is None or node.value is None:
        return "", []
    keys = reader.mapping(node, HOSTING_KEYS)
    cloud = reader.text(keys.get("cloud")).lower()
    if cloud and cloud not in presence.CLOUDS:
        close = difflib.get_close_matches(cloud, presence.CLOUDS, n=2)
        hint = f"; did you mean {' or '.join(close)}?" if close else ""
        raise reader.fail(keys["cloud"], f"is not a cloud nexus has regions for ({', '.join(presence.CLOUDS)}){hint}")
    dedicated = _dedicated(reader, keys.get("dedicated"))
    made: list[presence.Item] = []
    for key, kind, function, what in (("regions", "cloud-region", "core", "storefront and order systems"),
                                      ("data_storage", "data-files", "storage", "order data and customer files"),
                                      ("backup_regions", "cloud-region", "backup", "backups")):
        for child in reader.items(keys.get(key)):
            text = child.value.strip()
            coded = bool(cloud) and f"{cloud}:{text.lower()}" in presence.sites()  # US-EAST-1: aws's us-east-1
            if ":" in text or (_looks_like_place(text) and not coded):
                location = text
            elif cloud:
                location = f"{cloud}:{text}"
            else:
                raise reader.fail(child, "is a region code without a cloud: give hosting.cloud (aws, gcp, azure, "
                                         "oracle) or write it as aws:us-east-1")
            reader.place(child, location)
            if ":" in location and location.split(":")[0].strip().lower() in presence.CDNS:
                raise reader.fail(child, "is a CDN's point of presence, not a hosting region: list it under pops")
            made.append(presence.Item(kind, location, "third-party", dedicated, function, None, None,
                                      f"{what} ({child.path})", reader.at(child)))
    return cloud, made


def _cdn_items(reader: _Reader, cdn_nodes: list[Node], pop_nodes: list[Node]) -> tuple[list[str], list[presence.Item],
                                                                                       list[str]]:
    """One cache item per CDN and jurisdiction (its first point of presence stands for the others there), and
    one per point of presence listed under ``pops``."""
    cdns: list[str] = []
    made: list[presence.Item] = []
    warnings: list[str] = []
    for child in cdn_nodes:
        name = child.value.strip().lower()
        if name not in presence.CDNS:
            close = difflib.get_close_matches(name, presence.CDNS, n=2)
            hint = (f"; did you mean {' or '.join(close)}?" if close else
                    "; give its points of presence as places in the presence file instead")
            raise reader.fail(child, f"is not a CDN nexus knows ({', '.join(presence.CDNS)}){hint}")
        if name in cdns:
            continue
        cdns.append(name)
        by_place: dict[str, list[presence.Site]] = {}
        for site in presence.sites().values():
            if site.provider.lower() == name:
                by_place.setdefault(site.jurisdiction, []).append(site)
        if not by_place:
            warnings.append(f"{reader.path}:{child.line}: {name} publishes no list of its points of presence, so "
                            f"nexus cannot place them: ask the provider which cities would serve your data and list "
                            f"them under pops or in the presence file")
        for place in sorted(by_place):
            found = sorted(by_place[place], key=lambda s: s.code)
            codes = ", ".join(s.code for s in found)
            made.append(presence.Item("cdn", f"{name}:{found[0].code}", "third-party", False, "cache", None, None,
                                      f"{name} cache: {len(found)} point(s) of presence in {places.name(place)} "
                                      f"({codes})", reader.at(child)))
    for child in pop_nodes:
        text = child.value.strip()
        provider = text.split(":")[0].strip().lower() if ":" in text else ""
        if provider not in presence.CDNS:
            raise reader.fail(child, "is not a CDN point of presence (cloudflare:NRT, fastly:IAD, cloudfront:IAD89)")
        reader.place(child)
        made.append(presence.Item("cdn", text, "third-party", False, "cache", None, None, f"{provider} cache ({text})",
                                  reader.at(child)))
    return cdns, made, warnings


def _stock(reader: _Reader, nodes: list[Node]) -> list[presence.Item]:
    made = []
    for child in nodes:
        reader.place(child)
        made.append(presence.Item("third-party-inventory", child.value.strip(), "third-party", None, "storage", None,
                                  None, f"stock held by the provider ({child.path})", reader.at(child)))
    return made


def role_code(text: str) -> str | None:
    """A place a role may name, in nexus's form: a country (``US``: every state), ``US-CA``, ``CA-QC``, ``EU``."""
    code = text.strip().upper()
    if code == "EU" or code in places.countries():
        return code
    if "-" in code and code.split("-")[0] in places.SUBDIVIDED and code in places.subdivisions(code.split("-")[0]):
        return code
    return None


def _roles(reader: _Reader, node: Node | None) -> tuple[list[str], list[str]]:
    if node is None or node.value is None:
        return [], []
    keys = reader.mapping(node, ROLES)
    found: dict[str, list[str]] = {}
    seen: dict[str, Node] = {}
    for role in ROLES:
        found[role] = []
        for child in reader.items(keys.get(role)):
            code = role_code(child.value)
            if code is None:
                bare = child.value.strip().upper()
                hint = (f"; a US state is written US-{bare}" if f"US-{bare}" in places.us_regions() else "")
                close = difflib.get_close_matches(bare, sorted(places.countries()), n=3, cutoff=0.5)
                hint = hint or (f"; close matches: {', '.join(close)}" if close else "")
                raise reader.fail(child, f"is not a place a role can name (a country such as GB or US, a state "
                                         f"such as US-CA, a province such as CA-QC, or EU){hint}")
            if code in seen:
                raise reader.fail(child, f"is listed twice (also at {seen[code].path}, line {seen[code].line}): a "
                                         f"provider is either marketplace facilitator or merchant of record there")
            seen[code] = child
            found[role].append(code)
    return found["marketplace_facilitator"], found["merchant_of_record"]


def _currencies(reader: _Reader, node: Node | None) -> tuple[list[review.Listed], str]:
    """The codes the provider prices in, each with its line: a list in the profile, or a file (relative to the
    profile) or URL."""
    if node is None or node.value is None:
        raise InputError("currencies: is required (a list of codes, or a file or URL as 'currencies review' "
                         "reads)", Location(reader.path))
    if isinstance(node.value, list):
        codes: list[review.Listed] = []
        for child in reader.items(node):
            code = review.code_of(child.value)
            if not review.is_code(code):
                raise reader.fail(child, "is not a three-letter currency code")
            if code not in [c.code for c in codes]:
                codes.append(review.Listed(code, f"{reader.path}:{child.line}" if child.line else reader.path))
        if not codes:
            raise reader.fail(node, "lists no currencies")
        return codes, "the profile"
    source = reader.text(node)
    if not source.startswith(("https://", "http://")) and not os.path.isabs(source):
        source = os.path.join(os.path.dirname(reader.path), source)
    try:
        return review.load_listed(source), source
    except NexusError as exc:
        raise InputError(f"currencies: {exc}", reader.at(node)) from None


def _answers(reader: _Reader, export: Node | None, integration: Node | None) -> list[Answer]:
    wanted = {g: [q.key for q in questions() if q.group == g] for g in ("export", "integration")}
    given: dict[str, Answer] = {}
    for group, node in (("export", export), ("integration", integration)):
        if node is None or node.value is None:
            continue
        for key, child in reader.mapping(node, wanted[group]).items():
            note = reference = ""
            if isinstance(child.value, dict):
                parts = reader.mapping(child, ("answer", "note", "reference"))
                word_node = parts.get("answer")
                if word_node is None:
                    raise reader.fail(child, "needs an answer (yes, no, partial or unknown)")
                note, reference = reader.text(parts.get("note")), reader.text(parts.get("reference"))
            else:
                word_node = child
            word = reader.text(word_node).lower()
            if word not in ANSWERS:
                raise reader.fail(word_node, f"is not an answer ({', '.join(ANSWERS)})")
            given[key] = Answer(key, word, note, reference, True, reader.at(word_node))
    return [given.get(q.key) or Answer(q.key, "unknown", "not answered in the profile", "", False,
                                       Location(reader.path)) for q in questions()]


def _not_paid_out_in(code: str) -> str:
    """Why ``code`` cannot be the currency payouts are made in. The profile's author writes it (the provider's own
    list may hold an odd code, which the comparison reports); a typo or a withdrawn code was kept with a warning,
    and the comparison said payouts in XYZ or HRK carry an exchange difference."""
    fact = currencies.facts(code)
    if fact is None:
        return "is not an ISO 4217 currency code: give the currency payouts are made in (USD, EUR, JPY)"
    if not fact.current:
        return f"is withdrawn ({fact.withdrawn})" + (
            f": payouts are made in {fact.successor}" if fact.successor else "")
    return f"is not money a payout is made in ({review.not_money_reason(code)})"


def read_profile(path: str) -> Profile:
    """Read a provider profile (YAML or JSON); every value it cannot use is one line naming file, line and key.

    A currency list given as a file is read relative to the profile's folder; one given as a URL is fetched
    (with the timeouts of :func:`nexus.download.get`).
    """
    reader = _Reader(path)
    root = read_tree(path)
    keys = reader.mapping(root, TOP_KEYS)
    name_node = keys.get("name")
    name = reader.text(name_node)
    if not name:
        raise InputError("name: is required (the provider's name, as the comparison shows it)",
                         reader.at(name_node) if name_node else Location(path, root.line))
    cloud, hosting = _hosting(reader, keys.get("hosting"))
    cdns, caches, warnings = _cdn_items(reader, reader.items(keys.get("cdn")), reader.items(keys.get("pops")))
    stock = _stock(reader, reader.items(keys.get("stock")))
    listed, source = _currencies(reader, keys.get("currencies"))
    codes = [c.code for c in listed]
    settlement_node = keys.get("settlement_currency")
    settlement = review.code_of(reader.text(settlement_node))
    if settlement and not review.is_code(settlement):
        raise reader.fail(settlement_node, "is not a three-letter currency code")  # type: ignore[arg-type]
    if settlement and not review.sold_in([settlement]):
        raise reader.fail(settlement_node, _not_paid_out_in(settlement))  # type: ignore[arg-type]
    if settlement and settlement not in codes:
        warnings.append(f"{path}:{settlement_node.line if settlement_node else ''}: the settlement currency "
                        f"{settlement} is not in the provider's currency list")
    facilitator, merchant = _roles(reader, keys.get("role"))
    channels = []
    for child in reader.items(keys.get("channels")):
        word = child.value.strip().lower()
        word = word[:-1] if word.endswith("s") and word[:-1] in CHANNELS else word  # resellers, affiliates
        if word not in CHANNELS:
            raise reader.fail(child, f"is not a channel ({', '.join(CHANNELS)})")
        channels.append(word)
    replaces = list(DEFAULT_REPLACES) if "replaces" not in keys else []
    for child in reader.items(keys.get("replaces")):
        text = child.value.strip()
        if text.lower() in presence.KINDS:
            replaces.append(text.lower())
        else:
            try:
                presence.place_of(text, reader.at(child))
            except InputError:
                raise reader.fail(child, f"is neither a presence kind ({', '.join(presence.KINDS)}) nor a location "
                                         f"of the presence file") from None
            replaces.append(text)
    answers = _answers(reader, keys.get("export"), keys.get("integration"))
    return Profile(name, path, reader.text(keys.get("description")), cloud, tuple(hosting + caches + stock),
                   tuple(cdns), tuple(codes), source, settlement, tuple(facilitator), tuple(merchant),
                   tuple(channels), tuple(replaces), tuple(answers), tuple(warnings), tuple(listed))
