"""The rows of a CSV, TSV or XLSX file, with the checks every nexus input shares.

Orders, presence files, registrations, charts of accounts, product catalogues and ERP item lists are all read
through :func:`read_rows`: a regular file (not a folder, a pipe or standard input), not a binary under another
name, its encoding (a byte-order mark, UTF-8, else the likeliest of the encodings Japanese, Chinese, Korean and
Western systems write), its delimiter (a ``sep=`` line, else the header's), and for workbooks the sheet Excel
shows, refusing damaged, password-protected, Strict or oversized ones and formulas saved without their values.
Each refusal names the file, and the line where there is one.
"""
from __future__ import annotations

import csv
import functools
import io
import itertools
import operator
import os
import re
import unicodedata
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Callable, Generator, Iterable, Iterator, Sequence

from nexus.errors import InputError, Location
from nexus.read_options import ReadNotes, ReadOptions


class _CountingReader(io.RawIOBase):
    """A binary file that reports how many bytes have been read, for progress bars."""

    def __init__(self, raw: io.BufferedReader, progress: Callable[[int], None] | None):
        self._raw, self._progress = raw, progress

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        n = self._raw.readinto(buffer)
        if self._progress and n:
            self._progress(n)
        return n or 0

    def close(self) -> None:
        self._raw.close()
        super().close()


def without_marks(text: str) -> str:
    """``text`` without invisible format characters (Unicode's Cf: zero-width spaces and joiners, left-to-right and
    right-to-left marks, a byte-order mark left inside): a header or a code word copied from a web page, or typed
    in a right-to-left Excel, carries them unseen, and ``Amount`` with a zero-width space is still the amount."""
    return text if text.isascii() else "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


#: How a spreadsheet set to another language writes a cell's TRUE and FALSE when it saves a CSV, lower-cased: a
#: German Excel or LibreOffice saves Shopify's ``true`` as ``WAHR``. Checked by saving ``true`` and ``false`` from
#: LibreOffice Calc set to German, French, Spanish, Italian, Portuguese, Dutch, Swedish, Danish, Norwegian, Finnish,
#: Polish, Czech, Hungarian, Turkish and Russian (2026-12-07): Excel's names for TRUE and FALSE in those languages are
#: the same words. Japanese and Chinese write TRUE and FALSE.
SPREADSHEET_TRUE = frozenset(word.lower() for word in (
    "WAHR", "VRAI", "VERDADERO", "VERO", "VERDADEIRO", "WAAR", "SANT", "SAND", "SANN", "TOSI", "PRAWDA", "PRAVDA",
    "IGAZ", "DOĞRU", "ИСТИНА"))
SPREADSHEET_FALSE = frozenset(word.lower() for word in (
    "FALSCH", "FAUX", "FALSO", "ONWAAR", "FALSKT", "FALSK", "USANN", "EPÄTOSI", "FAŁSZ", "NEPRAVDA", "HAMIS",
    "YANLIŞ", "ЛОЖЬ"))

#: The encoding :func:`detect_encoding` names for text that starts with UTF-16's byte-order mark: what Excel's "Unicode
#: Text (*.txt)" writes (tab-separated, little-endian), quoting a cell that holds a quote, a tab or a line break as
#: CSV does (``"8"" wide"``), whatever the file held before.
EXCEL_UNICODE_TEXT = "utf-16"
#: Encodings tried, in order, when a file is neither UTF-8 nor marked by a byte-order mark.
CANDIDATE_ENCODINGS = ("cp932", "gb18030", "big5", "euc_kr", "cp1252", "latin_1")
_SAMPLE_BYTES = 1 << 20


def unicode_encoding(head: bytes, whole: bool = True) -> str | None:
    """The Unicode encoding ``head`` (a file's first bytes, or all of them when ``whole``) is in: its byte-order
    mark, UTF-16 without one, else UTF-8 if it decodes; None for text in another encoding."""
    import codecs

    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return EXCEL_UNICODE_TEXT
    unmarked = _utf16_unmarked(head)
    if unmarked:
        return unmarked
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=whole)
        return "utf-8"
    except UnicodeDecodeError:
        return None


def detect_encoding(path: str) -> str:
    """The text encoding of a file: its byte-order mark, UTF-8 if it decodes, else the likeliest candidate."""
    with open(path, "rb") as handle:
        head = handle.read(_SAMPLE_BYTES)
    found = unicode_encoding(head, whole=len(head) < _SAMPLE_BYTES)
    if found:
        return found
    if _western(head):  # é and ü alone among ASCII letters: a Windows-1252 export, not two-byte text
        return "cp1252"
    # Exports from Japanese, Chinese and Korean systems: the encodings under which the text reads as
    # ideographs, kana or hangul (not half-width katakana soup) are the candidates.
    cjk = {}
    for candidate in ("cp932", "gb18030", "big5", "euc_kr"):
        try:
            text = head.decode(candidate) if len(head) < _SAMPLE_BYTES else head[:-4].decode(candidate, "ignore")
        except UnicodeDecodeError:
            continue
        wide = [ch for ch in text if ord(ch) > 127]
        if wide:
            cjk[candidate] = sum(1 for ch in wide if _is_cjk(ch)) / len(wide)
    best_score = max(cjk.values(), default=0)
    tied = [c for c, score in cjk.items() if score >= 0.5 and score >= best_score - 0.02]
    if len(tied) == 1:
        return tied[0]
    from charset_normalizer import from_bytes  # several read as well: let its language models decide

    match = from_bytes(head, cp_isolation=tied or list(CANDIDATE_ENCODINGS)).best()
    if match is not None:
        return match.encoding
    return tied[0] if tied else "latin_1"


def _utf16_unmarked(head: bytes) -> str | None:
    """``utf-16-le`` or ``-be`` for UTF-16 text written without a byte-order mark (some export tools and .NET
    programs do): its ASCII characters, the header's letters and every comma, digit and line break, each have a zero
    byte on the same side, and the other side few (一, U+4E00, has one there). A stray NUL in UTF-8 or single-byte
    text does not make that pattern: at least half the bytes of one side must be zero, and the text must decode."""
    import codecs

    sample = head[:len(head) & ~1]
    for parity, encoding in ((1, "utf-16-le"), (0, "utf-16-be")):
        zeros, others = sample[parity::2].count(0), sample[1 - parity::2].count(0)
        if sample and zeros * 2 >= len(sample) // 2 and others * 10 <= zeros:
            try:  # not final: the sample may end inside a surrogate pair
                codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
            except UnicodeDecodeError:
                continue
            return encoding
    return None


#: Two bytes above ASCII side by side: a character of a two-byte encoding (Shift JIS, GBK, Big5, EUC-KR) starts with
#: one, and its second byte, or the next character's first, is mostly one too.
_HIGH_PAIR = re.compile(rb"[\x80-\xff]{2}")


def _western(head: bytes) -> bool:
    """Whether ``head`` is Windows-1252 text that a two-byte encoding would also read: every byte above ASCII stands
    alone and is a letter there (é, ü, Ž). "Caisse \xe9pargne" reads as one ideograph and ASCII in Shift JIS and GBK
    too (駱argne), but a Japanese name whose second bytes are ASCII letters has a lead byte that is no letter in
    Windows-1252 (山田 is 8e 52 93 63: the 93 is a quotation mark there)."""
    if _HIGH_PAIR.search(head):
        return False
    try:
        text = head.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return all(ch.isalpha() for ch in text if ord(ch) > 127)


def _is_cjk(ch: str) -> bool:
    code = ord(ch)
    return (0x4E00 <= code <= 0x9FFF or 0x3040 <= code <= 0x30FF or 0xAC00 <= code <= 0xD7AF
            or 0x3000 <= code <= 0x303F or 0xFF01 <= code <= 0xFF5E)


def _bad_bytes(path: str, encoding: str) -> tuple[int, int, bytes] | None:
    """Line, byte offset in that line, and the bytes, of the first thing ``encoding`` cannot read. Lines are
    counted as the reader counts them, and a text editor: a carriage return alone ends one too (inside a quoted
    name, or every line of a file saved as Excel's "CSV (Macintosh)"), not only a line feed."""
    if encoding.replace("-", "").lower().startswith("utf16"):
        return None  # lines of UTF-16 are not split on b"\n"
    number = 1
    with open(path, "rb") as handle:
        for raw in handle:  # split at line feeds only: the carriage returns alone in it are counted here
            try:
                raw.decode(encoding)
            except UnicodeDecodeError as exc:
                before = raw[:exc.start]  # its carriage returns are all alone: a CR LF ends ``raw``
                return number + before.count(b"\r"), exc.start - before.rfind(b"\r"), raw[exc.start:exc.start + 4]
            except UnicodeError:  # a codec that gives no position (punycode): the line, from its first byte
                return number, 1, raw[:4]
            number += raw.count(b"\r") - raw.endswith(b"\r\n") + raw.endswith(b"\n")
    return None


#: Field separators a CSV header is tried with, in order of preference when two split it alike.
DELIMITERS = (",", ";", "\t", "|")
#: The longest CSV field nexus reads (characters). Python's csv module stops at 131,072; a product description
#: or an address block can be longer. A longer field is almost always a quote left open, which swallows the
#: lines after it: refused, naming the line where the field starts.
MAX_CSV_FIELD = 16 * 2**20


def delimiter_name(sep: str) -> str:
    return {",": "commas", ";": "semicolons", "\t": "tabs", "|": "pipes (|)"}.get(sep, repr(sep))


def csv_layout(path: str, first_line: str, second_line: str | None,
               forced: str | None = None) -> tuple[str, bool, str]:
    """The field separator of a CSV file, whether its first line is Excel's ``sep=`` line (not data), and
    how the separator was chosen, in words.

    ``forced`` (``--delimiter``) wins; else a ``sep=;`` first line (what Excel writes where the comma is
    the decimal separator); else the one of :data:`DELIMITERS` that splits the header into the most fields
    (a tab first for .tsv/.tab files, else the order of :data:`DELIMITERS` on a tie). The DuckDB fast path
    decides through this too.
    """
    text = first_line.rstrip("\r\n")
    sep_line = len(text) == 5 and text.lower().startswith("sep=")
    if forced:
        return forced, sep_line, "--delimiter"
    if sep_line:
        return text[4], True, f"its first line {text!r}"
    header = (second_line or "") if sep_line else first_line
    order = ("\t",) + DELIMITERS if path.lower().endswith((".tsv", ".tab")) else DELIMITERS
    fields = {sep: len(next(csv.reader([header.rstrip("\r\n")], delimiter=sep), [])) for sep in order}
    best = max(order, key=lambda sep: fields[sep])  # the first of the most fields
    if fields[best] <= 1:
        best = order[0]
    return best, False, "the header"


def delimiter(path: str, first_line: str) -> str:
    """The field separator :func:`csv_layout` finds from a header line alone."""
    return csv_layout(path, first_line, None)[0]


def note_layout(notes: ReadNotes | None, path: str, sep: str, how: str) -> None:
    """Say which delimiter a file was read with, unless it is the comma found in the header."""
    if notes is not None and (sep != "," or how != "the header"):
        notes.assume(f"{path}: fields separated by {delimiter_name(sep)} (from {how})")


#: Characters of text read at a time from a CSV file whose header holds no quote (see :func:`_split_block`).
CSV_BLOCK = 1 << 20


def _split_block(block: str, sep: str) -> tuple[int, Iterator[list[str]]] | None:
    """How many rows ``block`` (whole lines of a CSV file) holds, and the rows as the csv module reads them,
    split by line and delimiter at a third of its cost; None where the csv module must read it: a quote (which
    may open a field holding delimiters and line breaks), a carriage return alone (a line break to the csv
    module) or a line longer than :data:`MAX_CSV_FIELD` (which it refuses)."""
    if '"' in block:
        return None
    if "\r" in block:
        block = block.replace("\r\n", "\n")
        if "\r" in block:
            return None
    lines = block.split("\n")
    if not lines[-1]:
        lines.pop()  # after the last line break
    if len(block) > MAX_CSV_FIELD and max(map(len, lines)) > MAX_CSV_FIELD:
        return None
    if "" in lines:  # a blank line: the csv module reads no field
        return len(lines), ([] if not line else line.split(sep) for line in lines)
    # Split as they are read, not all at once: a block's rows made together would wake the cycle collector.
    return len(lines), map(operator.methodcaller("split", sep), lines)


def _csv_rows(path: str, options: ReadOptions, progress: Callable[[int], None] | None,
              notes: ReadNotes | None = None, quoted: bool = True) -> Generator[tuple[int, list[str]], None, None]:
    encoding = detect_encoding(path) if options.encoding == "auto" else options.encoding
    try:
        "".encode(encoding)
    except LookupError:
        raise InputError(f"--encoding {encoding!r} is not an encoding Python knows (try utf-8, cp932, gb18030, "
                         f"big5, euc-kr, utf-16 or latin-1)") from None
    csv.field_size_limit(MAX_CSV_FIELD)  # the module's limit is process-wide: set it to nexus's own each time
    raw = _CountingReader(open(path, "rb"), progress)
    with io.TextIOWrapper(io.BufferedReader(raw), encoding=encoding, newline="") as handle:
        start = 1
        try:
            first = handle.readline()
            second = handle.readline() if first.lower().startswith("sep=") else None
            sep, skip, how = csv_layout(path, first, second, options.delimiter)
            note_layout(notes, path, sep, how)
            if skip:
                head: tuple[str, ...] = (second,) if second else ()
            else:
                head = (first, second) if second else (first,)
            offset = 1 if skip else 0  # line numbers stay those of the file, sep= line included
            start = 1 + offset
            # A layout whose own files never quote (Amazon's tab-separated reports) reads quotes as text; the same
            # file saved again by a spreadsheet with commas or semicolons quotes as CSV does ("Kyusu, 8"" wide"), and
            # so does Excel's "Unicode Text" (tabs, UTF-16 with its byte-order mark): no platform export nexus reads
            # is written so, and a report saved so was saved by a spreadsheet.
            quoted = quoted or sep != "\t" or encoding == EXCEL_UNICODE_TEXT
            # strict: a quote that opens a field and is not closed where the field ends is an error, not a field
            # running on through the rows after it (each of them lost without a word).
            reader_of = functools.partial(csv.reader, delimiter=sep,
                                          quoting=csv.QUOTE_MINIMAL if quoted else csv.QUOTE_NONE, strict=quoted)
            # itertools.chain, not a generator: each line of a large file passes through it.
            lines: Iterable[str] = itertools.chain(head, handle)
            if not any('"' in line for line in head) and sep not in '"\r\n':
                reader = reader_of(head)
                for row in reader:
                    yield start, row
                    start = reader.line_num + offset + 1
                # The rest in blocks of whole lines, split as the csv module reads them, until one it must read.
                while True:
                    block = handle.read(CSV_BLOCK)
                    if not block:
                        return
                    if block[-1] != "\n":
                        block += handle.readline(MAX_CSV_FIELD + 1)  # to the end of its last line
                    split = _split_block(block, sep)
                    if split is None:
                        lines = itertools.chain(io.StringIO(block, newline=""), handle)
                        break
                    yield from zip(itertools.count(start), split[1])
                    start += split[0]
            offset = start - 1
            reader = reader_of(lines)
            for row in reader:  # a row is named by the line it starts on (a quoted cell may hold line breaks)
                yield start, row
                start = reader.line_num + offset + 1
        except UnicodeError as exc:  # UTF-16 without a byte-order mark raises a bare UnicodeError, no position
            where = _bad_bytes(path, encoding)
            at = (f"line {where[0]}, byte {where[1]} ({where[2].hex(' ')})" if where
                  else f"byte {getattr(exc, 'start', 0)}")
            guess = detect_encoding(path)
            hint = f"; it looks like {guess}: try --encoding {guess}" if guess != encoding else \
                "; try --encoding cp932, gb18030, big5, euc-kr, utf-16 or latin-1"
            raise InputError(f"cannot be read as {encoding}: {at} is not valid{hint}", Location(path)) from None
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise InputError(f"has a field longer than {MAX_CSV_FIELD:,} characters, nexus's limit, in the row "
                                 f"that starts here: a quote left open swallows the lines after it; close it, or "
                                 f"export again", Location(path, start)) from None
            if "expected after" in str(exc) or "unexpected end of data" in str(exc):
                raise InputError("has a quote that opens a field in the row that starts here and is not closed where "
                                 "the field ends: a quote left open swallows the rows after it; close it (a quote "
                                 "meant as text inside a quoted field is written twice: \"\"), or export again",
                                 Location(path, start)) from None
            raise InputError(f"is not a readable CSV file ({exc})", Location(path, start)) from None


#: Limits for XLSX files, which are ZIP archives: a file that would expand beyond them is refused
#: rather than read (a "zip bomb" would exhaust memory or disk).
MAX_XLSX_EXPANDED = 2 << 30
MAX_XLSX_RATIO = 200


def check_xlsx(path: str) -> None:
    """Refuse what is not an XLSX workbook, is password-protected, or would expand too far."""
    import zipfile

    with open(path, "rb") as handle:
        magic = handle.read(8)
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError("is password-protected or an old-style .xls workbook: save it as .xlsx without a password",
                         Location(path))
    if not magic.startswith(b"PK"):
        raise InputError("is not an XLSX workbook (it is not a ZIP archive)", Location(path))
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile:
        raise InputError("is a damaged or truncated XLSX workbook", Location(path)) from None
    expanded = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members) or 1
    if expanded > MAX_XLSX_EXPANDED or expanded / packed > MAX_XLSX_RATIO:
        raise InputError(f"would expand to {expanded:,} bytes ({expanded / packed:.0f} times its size): refused as "
                         f"a possible zip bomb; export the sheet as CSV instead", Location(path))
    if _is_strict(path, members):
        raise InputError("is a Strict Open XML workbook (ISO/IEC 29500 Strict), which nexus cannot read: open it in "
                         "Excel and save it as 'Excel Workbook (*.xlsx)', not 'Strict Open XML Spreadsheet'",
                         Location(path))


#: Strict Open XML names its parts in these namespaces, where a normal (Transitional) workbook uses
#: schemas.openxmlformats.org: openpyxl finds no worksheet in it.
_STRICT_NAMESPACES = (b"http://purl.oclc.org/ooxml/officeDocument/relationships",
                      b"http://purl.oclc.org/ooxml/spreadsheetml/main")


def _is_strict(path: str, members: list) -> bool:
    import zipfile

    import zlib

    names = {m.filename for m in members}
    try:
        with zipfile.ZipFile(path) as archive:
            for part in ("_rels/.rels", "xl/workbook.xml"):
                if part in names:
                    with archive.open(part) as handle:
                        head = handle.read(4096)
                    if any(ns in head for ns in _STRICT_NAMESPACES):
                        return True
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError):
        return False  # damaged: said when the workbook is opened
    return False


class FormulaWithoutValue(str):
    """An XLSX cell that holds a formula whose value was never saved (a workbook written by a program, not
    by Excel): it reads as empty, and nexus names it as such where it needs the value."""

    formula: str = ""


def has_value(values: Sequence[object]) -> bool:
    """Whether a row holds anything: a cell with text, or a formula whose value was never saved (which is not a
    blank row to pass over, but a row nexus cannot read and says so)."""
    return any(type(v) is FormulaWithoutValue or str(v).strip() for v in values)


def _unsaved_formulas(archive_path: str, part: str | None) -> dict[tuple[int, int], str]:
    """(row, column) -> formula of each cell in the sheet ``part`` that has a formula and no saved value.

    The sheet is scanned only when its XML holds a formula at all: exports of data rarely do.
    """
    import zipfile
    from xml.etree.ElementTree import iterparse

    from openpyxl.utils.cell import coordinate_to_tuple

    found: dict[tuple[int, int], str] = {}
    if not part:
        return found
    with zipfile.ZipFile(archive_path) as archive:
        try:
            handle = archive.open(part.lstrip("/"))
        except KeyError:
            return found
        with handle:
            tail = b""
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                if re.search(rb"<(?:\w+:)?f[\s>/]", tail + chunk):
                    break
                tail = chunk[-8:]
            else:
                return found
        with archive.open(part.lstrip("/")) as handle:
            rows = None
            for event, element in iterparse(handle, events=("start", "end")):
                tag = element.tag.rpartition("}")[2]
                if event == "start":
                    rows = element if tag == "sheetData" else rows
                elif tag == "c":
                    children = {child.tag.rpartition("}")[2]: child for child in element}
                    if "f" in children and not (children.get("v") is not None and children["v"].text):
                        where = element.get("r")
                        if where:
                            found[coordinate_to_tuple(where)] = "=" + (children["f"].text or "")
                elif tag == "row" and rows is not None:
                    rows.clear()  # rows read: keep memory flat however long the sheet
    return found


def _choose_sheet(book, path: str, options: ReadOptions, notes: ReadNotes | None):
    """The sheet to read: ``--sheet``, else the active sheet (what Excel shows on opening), else the first
    visible one. Hidden sheets passed over are named as a warning; other visible sheets as an assumption."""
    if options.sheet is not None:
        if options.sheet not in book.sheetnames:
            raise InputError(f"has no sheet {options.sheet!r}; sheets: {', '.join(book.sheetnames)}",
                             Location(path))
        return book[options.sheet]
    visible = [sheet for sheet in book.worksheets if sheet.sheet_state == "visible"]
    if not visible:
        raise InputError("has no visible worksheet" if book.worksheets else "has no worksheet", Location(path))
    try:
        active = book.active
    except (IndexError, AttributeError):
        active = None
    sheet = active if active in visible else visible[0]
    hidden = [s.title for s in book.worksheets if s.sheet_state != "visible"]
    if notes is not None:
        if hidden:
            listed = ", ".join(repr(t) for t in hidden)
            notes.warn(f"{path}: hidden sheet{'s' if len(hidden) > 1 else ''} {listed} not read; sheet "
                       f"{sheet.title!r} read (the one Excel shows; pass --sheet NAME to read another)")
        others = [s.title for s in visible if s is not sheet]
        if others:
            which = "the active sheet" if sheet is active else "the first visible sheet"
            notes.assume(f"{path}: sheet {sheet.title!r} read ({which}); not read: "
                         f"{', '.join(repr(t) for t in others)} (pass --sheet NAME to read another)")
    return sheet


#: An Excel number format that writes a number's digits padded and to fixed places: "0000", "0.00", "000.0".
_PADDED_FORMAT = re.compile(r"(0+)(?:\.(0+))?")


def shown_number(value: object, number_format: str) -> object:
    """An XLSX number as Excel shows it where its format pads it or fixes its places (account 0100 stored as 100
    with format "0000", sub-account 4000.10 stored as 4000.1 with "0.00"): codes, not amounts, where every
    digit written counts. Other values, and numbers in other formats, are returned as they are."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    padded = _PADDED_FORMAT.fullmatch(number_format or "")
    if padded is None:
        return value
    whole, places = padded.group(1), padded.group(2) or ""
    exact = Decimal(repr(value))
    # Every digit kept: a number of 29 digits or more is beyond Decimal's default 28 (an error, not a rounding).
    held = Context(prec=max(exact.adjusted(), 0) + len(places) + 2)
    number = exact.quantize(Decimal(1).scaleb(-len(places)), rounding=ROUND_HALF_UP, context=held)
    sign, digits = ("-", -number) if number.is_signed() else ("", number)  # -0.4 in "0000": -0000, as Excel
    integer, _, fraction = f"{digits:f}".partition(".")
    return sign + integer.zfill(len(whole)) + ("." + fraction if places else "")


def _xlsx_rows(path: str, options: ReadOptions, notes: ReadNotes | None = None,
               as_shown: bool = False) -> Generator[tuple[int, list[object]], None, None]:
    """The rows of the sheet Excel shows; with ``as_shown``, numbers formatted to pad or fix their places as
    Excel shows them (:func:`shown_number`: codes such as account numbers and SKUs)."""
    import zipfile
    import zlib
    from xml.etree.ElementTree import ParseError

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    check_xlsx(path)
    # A damaged workbook can fail while opening or part-way through its rows, in the ZIP, zlib or XML layer.
    damaged = (zipfile.BadZipFile, InvalidFileException, zlib.error, EOFError, ParseError, KeyError, OSError,
               ValueError, TypeError, IndexError, AttributeError)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except damaged as exc:
        raise InputError(f"is not a readable XLSX workbook ({exc.__class__.__name__})", Location(path)) from None
    try:
        sheet = _choose_sheet(book, path, options, notes)
        # Some writers store a used range (<dimension>) smaller than the data: Excel reads every row, and so
        # does nexus, rather than stopping where the tag says.
        sheet.reset_dimensions()
        try:
            unsaved = _unsaved_formulas(path, getattr(sheet, "_worksheet_path", None))
        except damaged + (zipfile.LargeZipFile,) as exc:
            raise InputError(f"is a damaged XLSX workbook ({exc.__class__.__name__} while reading its rows)",
                             Location(path)) from None
        rows = enumerate(sheet.iter_rows(values_only=True) if not as_shown else
                         ([shown_number(c.value, getattr(c, "number_format", "")) for c in row]
                          for row in sheet.iter_rows()), start=1)
        while True:
            try:
                number, row = next(rows)
            except StopIteration:
                break
            except damaged as exc:
                raise InputError(f"is a damaged XLSX workbook ({exc.__class__.__name__} while reading its rows)",
                                 Location(path)) from None
            values: list[object] = ["" if v is None else v for v in row]
            if unsaved:
                for column, value in enumerate(values, start=1):
                    if value == "" and (number, column) in unsaved:
                        marker = FormulaWithoutValue("")
                        marker.formula = unsaved[(number, column)]
                        values[column - 1] = marker
            yield number, values
    finally:
        book.close()


def read_rows(path: str, options: ReadOptions = ReadOptions(),
              progress: Callable[[int], None] | None = None,
              notes: ReadNotes | None = None, as_shown: bool = False,
              quoted: bool = True) -> Generator[tuple[int, Sequence[object]], None, None]:
    """``(line, values)`` for each row of a CSV/TSV or XLSX file, with the checks and errors every
    nexus input shares (a regular file, encoding, delimiter, damaged or oversized workbooks, the sheet
    Excel shows). Orders, presence files and charts of accounts are all read through it; ``notes`` hears
    what was assumed (the delimiter) or passed over (a hidden sheet). ``as_shown``: XLSX numbers formatted to
    pad or fix their places read as Excel shows them (files of codes: charts of accounts, products). ``quoted``
    False: a quote is a character like any other (a layout that never quotes: Amazon's reports, where ``8"`` is
    eight inches, and a quote read as opening a field would swallow the rows after it)."""
    check_regular_file(path)
    if path.lower().endswith((".xlsx", ".xlsm")):
        return _xlsx_rows(path, options, notes, as_shown)
    _not_binary(path)
    return _csv_rows(path, options, progress, notes, quoted)


#: The first bytes of files that are not text, and what they are: read as CSV they printed escaped binary and
#: asked for --column.
_BINARY = ((b"PK\x03\x04", "a ZIP archive (an XLSX workbook under another name? name it .xlsx)"),
           (b"%PDF", "a PDF document, not a table: export the data as CSV or XLSX"),
           (b"\xd0\xcf\x11\xe0", "an old Excel (.xls) workbook or another Office file: save it as XLSX or CSV"))


def _not_binary(path: str) -> None:
    """Refuse, naming what it is, a file that is not text."""
    try:
        with open(path, "rb") as handle:
            start = handle.read(8)
    except OSError:
        return  # the reader names it
    for magic, what in _BINARY:
        if start.startswith(magic):
            raise InputError(f"is {what}", Location(path))


def check_regular_file(path: str) -> None:
    """Refuse what is not a file nexus can read twice (it detects the encoding, then reads): a missing
    path, a folder, standard input (``-``), a pipe or a device, each said as such."""
    import stat

    if path == "-":
        raise InputError("stands for standard input, which nexus does not read: save the data to a file and "
                         "give its path", Location(path))
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise InputError("no such file", Location(path)) from None
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror or exc}", Location(path)) from None
    if stat.S_ISDIR(mode):
        raise InputError("is a folder, not a file", Location(path))
    if not stat.S_ISREG(mode):
        raise InputError("is not a regular file (a pipe, standard input or a device, read only once): save the "
                         "data to a file and give its path", Location(path))
