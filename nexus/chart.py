"""Reading a chart of accounts: :func:`read_chart` and the :class:`Account` records it gives.

A chart comes as CSV or XLSX, as a ledger exports it (Xero, QuickBooks,
NetSuite, Odoo, ERPNext, Japanese, Chinese and Korean charts): number, name,
type, currency, parent, and a group or inactive flag where the export has one;
:data:`ALIASES` are the headers each field is known by, and ``--column
FIELD=HEADER`` maps others.
Numbers stay text (leading zeros and sub-account places matter); full-width
digits read as plain ones; the type is read as one of the kinds of account
nexus knows (:func:`kind_of`); parents are resolved to numbers. A row nexus
cannot read is an error naming the file, line and column.

What a reader of anything built on the chart must know of it as read (rows of a
type nexus does not know, under a parent the chart lacks, numbers written in
full-width digits) is :func:`chart_notices`. What each account is (a bank, a
clearing account, a tax payable for a place) is :mod:`nexus.account_kinds`;
the plan built on the chart, :mod:`nexus.accounts`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Callable, Mapping, Sequence

from nexus import chinese_chart
from nexus.errors import InputError, Location, MissingColumns

_TYPE_WORDS = {
    "bank": ("bank", "cash", "asset_cash", "checking", "savings"),
    "receivable": ("receivable", "accounts receivable", "accounts receivable (a/r)", "a/r", "asset_receivable",
                   "debtors"),
    "current-asset": ("current", "current asset", "other current asset", "other current assets", "asset_current",
                      "prepayment", "inventory", "asset"),
    "current-liability": ("currliab", "current liability", "other current liability", "other current liabilities",
                          "liability_current", "tax", "liability", "payable", "accounts payable",
                          "accounts payable (a/p)", "liability_payable", "creditors"),
    "equity": ("equity", "capital", "equity_unaffected"),
    "income": ("revenue", "income", "sales", "income account"),
    "expense": ("expense", "expenses", "overheads", "directcosts", "cost of goods sold", "expense account",
                "chargeable"),
    "other-income": ("otherincome", "other income", "income_other"),
    "other-expense": ("other expense", "round off"),
}
#: The type words of Japanese charts (freee, Money Forward, Yayoi: the 勘定科目 groups of a balance sheet and an
#: income statement), Chinese ones (simplified and traditional) and Korean ones (the K-IFRS and 일반기업회계기준
#: statement groups), as their exports write them.
_CJK_TYPE_WORDS = {
    "bank": ("銀行", "银行", "은행", "現金・預金", "現金及び預金", "現金", "預金", "普通預金", "当座預金", "货币资金",
             "貨幣資金", "现金",
             "银行存款", "銀行存款", "库存现金", "現金及約當現金", "现金及现金等价物",
             "현금및현금성자산", "현금", "보통예금", "외화예금", "당좌예금"),
    "receivable": ("売上債権", "売掛金", "应收账款", "應收帳款", "应收票据", "應收票據", "매출채권",
                   "외상매출금"),
    "current-asset": ("流動資産", "その他流動資産", "棚卸資産", "前払費用", "流动资产", "流動資產", "其他流动资产",
                      "其他流動資產", "预付账款", "預付款項", "存货", "存貨", "其他应收款", "其他應收款",
                      "资产", "資產", "유동자산", "당좌자산", "재고자산",
                      "기타유동자산"),
    "current-liability": ("流動負債", "その他流動負債", "仕入債務", "買掛金", "未払金", "未払費用", "預り金",
                          "流动负债", "其他流动负债", "其他流動負債", "应付账款", "應付帳款", "应交税费", "應付稅捐", "应付职工薪酬",
                          "其他应付款", "其他應付款", "预收账款", "短期借款", "负债", "負債", "유동부채", "매입채무",
                          "미지급금", "미지급비용", "예수금"),
    "equity": ("純資産", "資本金", "株主資本", "所有者权益", "所有者權益", "股东权益", "股東權益", "权益", "權益", "자본", "자본금",
               "이익잉여금"),
    "income": ("売上高", "売上", "収益", "营业收入", "營業收入", "主营业务收入", "收入", "매출액", "매출", "영업수익"),
    "expense": ("販売費及び一般管理費", "販管費", "売上原価", "費用", "経費", "管理费用", "管理費用", "销售费用",
                "銷售費用", "营业成本", "營業成本", "费用", "營業費用", "판매비와관리비", "판매비와 관리비",
                "매출원가", "영업비용"),
    "other-income": ("営業外収益", "特別利益", "营业外收入", "營業外收入", "영업외수익", "기타수익", "금융수익"),
    "other-expense": ("営業外費用", "特別損失", "营业外支出", "營業外支出", "财务费用", "財務費用", "영업외비용",
                      "기타비용", "금융원가", "금융비용"),
}
_TYPE_WORDS = {kind: words + _CJK_TYPE_WORDS.get(kind, ()) for kind, words in _TYPE_WORDS.items()}
#: Type words that mark a header (group) account: it totals others and is never posted to or taken.
_GROUP_TYPES = ("header", "heading", "group", "view", "summary", "total", "placeholder")
FIELDS = ("number", "name", "type", "currency", "parent", "group", "inactive")
ALIASES = {"number": ("number", "code", "*code", "account number", "account_number", "account code", "no", "acct no",
                      "コード", "勘定科目コード", "科目コード", "科目代码", "科目编码", "科目編碼", "科目編號", "科目编号", "계정코드", "계정과목코드",
                      "코드"),
           "name": ("name", "*name", "account name", "account_name", "description", "勘定科目", "勘定科目名",
                    "科目名", "科目名称", "科目名稱", "계정과목", "계정과목명", "계정명"),
           "type": ("type", "*type", "account type", "account_type", "root type", "区分", "勘定科目区分", "科目区分",
                    "大分類", "科目类别", "科目類別", "类别", "구분", "계정구분", "분류"),
           "currency": ("currency", "account currency", "currency_id", "ccy", "commodity", "通貨", "币种", "幣別", "통화",
                        "통화코드"),
           "parent": ("parent", "parent account", "subaccount of", "parent account number", "parent_account", "親",
                      "親科目", "親勘定科目", "上位科目", "上位勘定科目", "上级科目", "上級科目", "상위계정", "상위 계정"),
           "group": ("is group", "is_group", "group", "header", "placeholder", "summary"),
           "inactive": ("inactive", "is inactive", "is_inactive", "disabled", "is_disabled", "archived",
                        "deprecated", "closed", "active", "is active", "is_active", "status", "account status")}
_TRUE = {"1", "yes", "true", "y", "x", "header", "group"}
#: How the "inactive" column's header reads: "yes" under these means the account is live; a status is a word.
_ACTIVE_HEADERS = ("active", "is active", "is_active")
_STATUS_HEADERS = ("status", "account status")
_YES = {"1", "yes", "true", "y", "x"}
_NO = {"", "0", "no", "false", "n"}
_LIVE_STATUS = {"", "active", "enabled", "open", "live"}
_CLOSED_STATUS = {"archived", "inactive", "disabled", "deleted", "closed", "deprecated"}


@dataclass(frozen=True)
class Account:
    """One account of the chart, as read; ``kind`` is nexus's reading of its type.

    ``parent`` is the parent's number when the chart's parent column could be
    resolved to an account of the chart (by number, name, ``NUMBER NAME`` or an
    ERPNext ``NUMBER - NAME - ABBR``), else the text as written. ``group``
    marks a header account; ``cells`` keeps the row as exported, for ledgers
    whose import must repeat the whole chart (Xero).
    """

    number: str
    name: str
    type: str
    currency: str
    parent: str
    kind: str
    line: int
    group: bool = False
    cells: tuple[tuple[str, str], ...] = ()
    #: Closed in the ledger (NetSuite's Inactive, ERPNext's Disabled, Xero's ARCHIVED): its number stays taken,
    #: but nothing is posted to it and it is not the account a plan finds already there.
    inactive: bool = False
    #: The number as the chart wrote it, where that was in full-width digits (１００２ read as 1002); else "".
    written: str = ""


def kind_of(account_type: str) -> str:
    word = account_type.strip().lower()
    for kind, words in _TYPE_WORDS.items():
        if word in words:
            return kind
    if "receiv" in word:
        return "receivable"
    if "bank" in word or "cash" in word:
        return "bank"
    if "liab" in word or "payable" in word or "tax" in word:
        return "current-liability"
    if "equity" in word or "capital" in word:
        return "equity"
    if "income" in word or "revenue" in word:
        return "other-income" if "other" in word else "income"
    if "expense" in word or "cost" in word:
        return "other-expense" if "other" in word else "expense"
    return "current-asset" if "asset" in word else "other"


def chart_notices(chart: Sequence[Account], source: str = "") -> tuple[str, ...]:
    """What a reader of anything built on the chart must know of it as read (rows whose type nexus did not
    understand, those under a parent the chart does not hold, numbers written in full-width digits): the review,
    the plan and the journal say the same, so that "open a USD bank account" never comes without its reason."""
    return tuple(n for n in (untyped_notice(chart, source), orphan_notice(chart, source),
                             widened_notice(chart, source)) if n)


def untyped_notice(chart: Sequence[Account], source: str = "") -> str:
    """One line naming each account whose type nexus did not understand ("other"), or "" where there is none.

    Such an account is neither a bank, a clearing account, a receivable nor a payable to the plan, so one the
    chart has is proposed again: the reader is told which rows, not left to find a duplicate.
    """
    unread = [a for a in chart if a.kind == "other" and not a.group]
    return notice(unread, source, f"{len(unread)} account{'s' * (len(unread) != 1)} of a type nexus does not know, "
                  f"counted as no bank, clearing, receivable or payable (one the chart has may be proposed again)",
                  lambda a: f"{a.type.strip() or 'no type'!r}")


def orphan_notice(chart: Sequence[Account], source: str = "") -> str:
    """One line naming each account whose parent is no account of the chart (a misspelt name, a number the export
    left out), or "" where there is none: such an account is read as having no parent, and new accounts beside it
    go under none, which the reader is told rather than left to find in the ledger."""
    numbers = {a.number for a in chart}
    lost = [a for a in chart if a.parent and a.parent not in numbers]
    return notice(lost, source, f"{len(lost)} account{'s' * (len(lost) != 1)} under a parent that is no account of "
                  f"the chart, read as account{'s' * (len(lost) != 1)} with no parent (new accounts beside "
                  f"{'them' if len(lost) != 1 else 'it'} go under none either)", lambda a: f"parent {a.parent!r}")


def notice(accounts: Sequence[Account], source: str, said: str, what: Callable[[Account], str],
           shown: int = 20) -> str:
    """A notice of one line, or "" where ``accounts`` is empty: the file (``source``), what is ``said`` of them, then
    the first ``shown`` as it lists them (line, number, name and ``what`` is wrong) and how many more: a chart with
    thousands of such rows still gives one readable line."""
    if not accounts:
        return ""
    rows = ", ".join(f"line {a.line} ({a.number} {a.name}: {what(a)})" for a in accounts[:shown])
    more = f" and {len(accounts) - shown} more" if len(accounts) > shown else ""
    return f"{source + ': ' if source else ''}{said}: {rows}{more}"


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():  # an XLSX number cell: 1010.0 is account 1010
        return str(int(value))
    return str(value).strip()


#: Line breaks (``\\n``, ``\\r``, vertical tab, form feed, NEL, U+2028, U+2029): no ledger takes one in an account's
#: number or name, and an import file that carries one in a quoted cell is read as two rows by many importers. Other
#: controls are kept, and shown as escapes on the screen.
_BREAKS = re.compile(r"[\n\r\x0b\x0c\x85\u2028\u2029]")


def read_chart(path: str, columns: Mapping[str, str] | None = None) -> list[Account]:
    """Read a chart of accounts (CSV or XLSX). Numbers stay text: leading zeros and sub-account places matter
    (an XLSX number cell is read as Excel shows it where its format pads it: 0100, 4000.10)."""
    from nexus.spreadsheets import FormulaWithoutValue, read_rows
    from nexus.tables import refuse_repeated

    accounts: list[Account] = []
    index: dict[str, int] | None = None
    header: list[str] = []
    seen: dict[str, int] = {}
    root: int | None = None
    for line, values in read_rows(path, as_shown=True):  # account 0100 formatted "0000" is 0100, not 100
        cells = [_cell(v) for v in values]
        if not any(cells):
            continue
        if index is None:
            header = cells
            refuse_repeated([c.lower() for c in cells], cells, Location(path, line))
            index = _columns([c.lower() for c in cells], columns or {}, path, cells)
            # ERPNext leaves Account Type blank on most accounts and always fills Root Type (Asset, Liability,
            # Expense...): where the type is blank, the root type tells the kind
            lower = [c.lower() for c in cells]
            root = lower.index("root type") if "root type" in lower and lower.index("root type") != index["type"] \
                else None
            continue
        for field_name, i in index.items():  # a formula Excel never saved a value for reads as empty: not a blank cell
            if i < len(values) and isinstance(values[i], FormulaWithoutValue):
                raise InputError("holds a formula without a saved value: open the file in Excel and save it (Excel "
                                 "saves the values), or export values only",
                                 Location(path, line, field_name, values[i].formula))
        if len(cells) > len(header) and any(cells[len(header):]):  # "1020,Bank, EUR,Bank,EUR": the name split
            raise InputError(f"has {len(cells)} fields where the header has {len(header)} (a stray delimiter or "
                             f"an unquoted comma?)", Location(path, line))
        try:
            accounts.append(_chart_row(cells, header, index, root, seen, path, line))
        except InputError as exc:  # "1020,Bank, EUR,Bank,EUR," under 5 columns: the comma's extra field is empty
            if len(cells) <= len(header):
                raise
            raise InputError(f"{exc.message} (the line has {len(cells)} fields where the header has {len(header)}: "
                             f"an unquoted comma in a name?)", exc.location) from None
    if index is None:
        raise InputError("is empty: no header row", Location(path))
    if not accounts:  # an export cut short: a plan from nothing would propose a whole chart as if it had worked
        raise InputError("has a header row and no accounts: export the chart again with its accounts", Location(path))
    return _resolve_parents(_whole_numbers(accounts, path))


def _chart_row(cells: list[str], header: list[str], index: Mapping[str, int], root: int | None,
               seen: dict[str, int], path: str, line: int) -> Account:
    """One row of the chart as an account; ``seen`` holds the numbers read so far (a number used twice is an error
    naming both lines)."""
    get = {f: cells[i] if i < len(cells) else "" for f, i in index.items()}
    if not get["number"]:
        raise InputError("is empty", Location(path, line, "number", ""))
    written = get["number"]
    get["number"] = half_width(written)  # １００２ typed in Excel is account 1002: one number, not a second family
    if get["number"] in seen:
        raise InputError(f"is used twice (also on line {seen[get['number']]})"
                         + (f", read as {get['number']}" if written != get["number"] else ""),
                         Location(path, line, "number", written))
    seen[get["number"]] = line
    if not get.get("name"):  # every import file and the journal name the account
        raise InputError("is empty: every account needs its name", Location(path, line, "name", ""))
    currency = _currency(get.get("currency", ""), Location(path, line, "currency", get.get("currency", "")))
    for name in ("number", "name"):  # every import file names the account: a ledger reads a break as a new row
        if _BREAKS.search(get.get(name, "")):
            raise InputError("holds a line break, which no ledger takes in an account's number or name: remove it",
                             Location(path, line, name, get[name]))
    account_type = get.get("type", "") or (cells[root] if root is not None and root < len(cells) else "")
    group = get.get("group", "").lower() in _TRUE or account_type.strip().lower() in _GROUP_TYPES
    inactive = "inactive" in index and _closed(get["inactive"], header[index["inactive"]],
                                               Location(path, line, header[index["inactive"]], get["inactive"]))
    kind = kind_of(account_type)
    if kind == "current-asset" and _DEPOSIT.search(get.get("name", "")):  # 보통예금 typed 당좌자산: a bank account
        kind = "bank"
    elif kind == "current-asset" and _RECEIVABLE_NAME.fullmatch(get.get("name", "")):  # 应收账款 typed 资产
        kind = "receivable"
    return Account(get["number"], get.get("name", ""), account_type, currency, get.get("parent", ""),
                   kind, line, group, tuple(zip(header, cells)), inactive,
                   written if written != get["number"] else "")


#: Full-width digits and the ideographic space, as Japanese and Chinese input methods type them in Excel.
_FULL_WIDTH = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)}, "\u3000": " ", "\uFF0E": ".",
                             "\uFF0D": "-"})


def half_width(number: str) -> str:
    """An account number with full-width digits (and a full-width point, dash or space) as plain ones: １００２ is 1002.

    Python reads ``１００２`` as a number too, so the plan numbered new accounts half in one width and half in the other
    (１００２03), and could propose 100203 beside a chart's １００２０３: the same number to an accountant.
    """
    return number.translate(_FULL_WIDTH)


def widened_notice(chart: Sequence[Account], source: str = "") -> str:
    """One line naming each account whose number was written in full-width digits and read as plain ones, or ""."""
    wide = [a for a in chart if a.written]
    return notice(wide, source, f"{len(wide)} account number{'s' * (len(wide) != 1)} written in full-width digits, "
                  f"read as plain digits (new accounts are numbered so; the ledger may need them so too)",
                  lambda a: f"written {a.written}")


#: Trade receivables by their name, where the chart's type is a broader group (资产): China's 1122 应收账款 (應收帳款,
#: 應收賬款), Japan's 売掛金, Korea's 외상매출금, as the whole name: not 其他应收款 (other receivables), 应收票据 (notes)
#: nor 应收账款坏账准备 (the allowance against them).
_RECEIVABLE_NAME = re.compile(r"\s*(应收账款|應收帳款|應收賬款|売掛金|외상매출금)\s*")
#: A bank deposit by its name, where the chart's type is a broader group (Korea's 당좌자산, quick assets, holds cash,
#: deposits and receivables alike): ordinary, current and foreign-currency deposits, not time deposits.
_DEPOSIT = re.compile(r"보통예금|당좌예금|외화예금|普通預金|当座預金|外貨預金|外貨普通預金|银行存款|銀行存款")


def _currency(text: str, where: Location) -> str:
    """The account's currency as its ISO 4217 code: the code (current or withdrawn), or a current currency's ISO name
    as some ledgers export it ('US Dollar', 'Euro'). Any other word is an error naming the cell: it would make the
    account one in no currency nexus knows, so that the chart's EUR bank written 'EURO' is proposed again."""
    from nexus import currencies

    code = text.strip().upper()
    if not code or currencies.facts(code):
        return code
    named = [f.code for f in currencies.iso_current().values() if f.name.lower() == text.strip().lower()]
    if len(named) == 1:
        return named[0]
    raise InputError("is not an ISO 4217 currency code: write the account's currency as its three-letter code "
                     "(EUR, USD, JPY)", where)


#: An account number written with a fraction of zeros only: 1010.00, Excel's "0.00" format on a whole number.
_ZERO_FRACTION = re.compile(r"(\d+)\.0+")


def _whole_numbers(accounts: list[Account], path: str) -> list[Account]:
    """Numbers read as plain numbers where every one of them is whole with a fraction of zeros (1010.00, 1020.00):
    a Number column formatted "0.00", Excel's default number format, not sub-accounts. 1010.00 would make the plan
    number a new bank 1010.01 beside it. A column mixing 4000.10 and 4000.00 keeps its places: there they are
    sub-accounts."""
    if not accounts or not all(_ZERO_FRACTION.fullmatch(a.number) for a in accounts):
        return accounts
    seen: dict[str, int] = {}
    whole = []
    for a in accounts:
        number = _ZERO_FRACTION.fullmatch(a.number).group(1)  # type: ignore[union-attr]
        if number in seen:
            raise InputError(f"is the same number as line {seen[number]}'s, as a whole number",
                             Location(path, a.line, "number", a.number))
        seen[number] = a.line
        whole.append(replace(a, number=number))
    return whole


def _closed(value: str, column: str, where: Location) -> bool:
    """Whether an Inactive/Active/Disabled/Archived/Status cell says the account is closed; a value that says
    neither is an error naming the cell, not a guess (a closed account posted to, or a live one proposed again)."""
    word, heading = value.strip().lower(), column.strip().lower()
    if heading in _STATUS_HEADERS:
        if word in _LIVE_STATUS or word in _CLOSED_STATUS:
            return word in _CLOSED_STATUS
        raise InputError("is not a status nexus knows (active or archived, inactive, disabled, closed)", where)
    if word in _YES or word in _NO:
        return (word in _YES) != (heading in _ACTIVE_HEADERS) if word else False
    raise InputError("is neither yes nor no (yes/no, true/false, 1/0)", where)


def _columns(header: list[str], mapping: Mapping[str, str], path: str, cells: list[str]) -> dict[str, int]:
    absent = [f"{f}={theirs}" for f, theirs in mapping.items() if theirs.lower() not in header]
    if absent:  # a mapping to a header the chart lacks was passed over, and the alias read instead
        raise MissingColumns(f"--column {', '.join(absent)}: the chart has no such column; columns found: "
                             f"{', '.join(cells)}", Location(path, 1))
    found = {f: header.index(theirs.lower()) for f, theirs in mapping.items() if theirs.lower() in header}
    for field_name in FIELDS:
        if field_name not in found:
            match = next((header.index(a) for a in ALIASES[field_name] if a in header), None)
            if match is not None and match not in found.values():
                found[field_name] = match
    missing = [f for f in ("number", "name", "type") if f not in found]
    if missing:
        raise MissingColumns(f"missing column(s) {', '.join(missing)}; columns found: {', '.join(cells)}; "
                             f"name them so in the header (or, in accounts plan and journal, map them with "
                             f"--column FIELD=HEADER)", Location(path, 1))
    return found


#: An account number that is a plain number (4000, 0100, 4000.10), compared by value with a parent written so.
_PLAIN_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _resolve_parents(accounts: list[Account]) -> list[Account]:
    """Parents as numbers, and every account another one hangs under marked as a header. A parent written as
    the same number as one account only (4000 beside 4000.00, 100 beside 0100) is that account: an XLSX chart's
    numbers are read as Excel shows them, and the Number column is often formatted ("0.00", "0000") where the
    Parent column is not."""
    numbers = {a.number for a in accounts}
    by_name = {a.name.lower(): a.number for a in accounts}
    by_text = {f"{a.number} {a.name}".lower(): a.number for a in accounts}
    by_value: dict[Decimal, str | None] = {}
    for a in accounts:
        if _PLAIN_NUMBER.fullmatch(a.number):
            value = Decimal(a.number)
            by_value[value] = a.number if value not in by_value else None  # two alike: neither is meant

    def resolve(text: str) -> str:
        if not text or text in numbers:
            return text
        if half_width(text) in numbers:  # a parent written １００２
            return half_width(text)
        lower = text.lower()
        if lower in by_name:
            return by_name[lower]
        if lower in by_text:
            return by_text[lower]
        same = by_value.get(Decimal(text)) if _PLAIN_NUMBER.fullmatch(text) else None
        if same:
            return same
        erpnext = re.match(r"^(\S+) - (.+?)(?: - [^-]+)?$", text)  # ERPNext: "1000 - Cash and bank - ND"
        if erpnext and erpnext.group(1) in numbers:
            return erpnext.group(1)
        last = text.split(":")[-1].strip().lower()  # "Assets:Cash and bank" or "1000 Assets : Cash and bank"
        return by_name.get(last, by_text.get(last, text))

    resolved = _parents_by_code([replace(a, parent=resolve(a.parent)) for a in accounts])
    parents = {a.parent for a in resolved if a.parent}
    return _banks_under_deposits([replace(a, group=True) if a.number in parents else a for a in resolved])


def _parents_by_code(accounts: list[Account]) -> list[Account]:
    """A chart following China's standards, exported with no parent (Kingdee and Yonyou leave it out: the code says
    it), with each account under the longest other number its own extends: 100201 under 1002 银行存款, 22210101
    under 222101. Read with no parent, 1012 其他货币资金 was no header, so 其他货币资金-支付宝 under it was a CNY bank and
    new banks went beside 1012 ("1013 Bank - USD", in English) rather than under 1002."""
    if any(a.parent for a in accounts) or chinese_chart.standard_of(accounts) is None:
        return accounts
    numbers = {a.number for a in accounts}

    def extends(rest: str) -> bool:  # 01 after 1002 (100201), or .01 after a point or dash (Kingdee's 1002.01)
        return rest.isdigit() or rest[:1] in (".", "-") and rest[1:].isdigit()

    def parent(number: str) -> str:
        return next((number[:n] for n in range(len(number) - 1, 3, -1) if number[:n] in numbers
                     and extends(number[n:])), "")

    return [replace(a, parent=parent(a.number)) for a in accounts]


def _banks_under_deposits(accounts: list[Account]) -> list[Account]:
    """A detail account under a deposit header (100201 工商银行 under 1002 银行存款, 三菱UFJ under 普通預金) is a bank
    account, though the chart types it with the broad group (资产, 流动资产) the header is read as a bank by name
    through: the plan took 工商银行 for no bank and proposed a second CNY bank, 人民币户, beside it. A detail account
    under 应收账款 is a receivable likewise."""
    deposits = {a.number for a in accounts if _DEPOSIT.search(a.name)}
    receivables = {a.number for a in accounts if _RECEIVABLE_NAME.fullmatch(a.name)}
    return [replace(a, kind="bank") if a.kind == "current-asset" and a.parent in deposits
            else replace(a, kind="receivable") if a.kind == "current-asset" and a.parent in receivables
            else a for a in accounts]
