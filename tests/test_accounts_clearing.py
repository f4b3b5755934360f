"""Which accounts of a chart hold a payment provider's balance before payout (its clearing accounts), in a chart's own
words: 売掛金 Stripe, 其他应收款-支付宝, as "Stripe clearing" in English; and which are a customer's receivable."""
from nexus import accounts
from nexus.account_kinds import names_provider
from nexus.account_records import GENERIC, Ledger
from nexus.chart import read_chart

ERPNEXT = Ledger("erpnext", receivables_per_currency=True)


def proposed(write, text, codes, ledger=GENERIC):
    coa = read_chart(write("coa.csv", text))
    return {p.purpose: (p.number, p.name) for p in accounts.plan(coa, list(codes), [], ledger)
            if p.purpose.startswith(("clearing:", "receivable:", "bank:", "first-level:"))}


JAPANESE = """
    コード,勘定科目,区分,通貨
    1110,普通預金 三菱UFJ,現金・預金,JPY
    1120,外貨預金USD,現金・預金,USD
    1130,外貨預金EUR,現金・預金,EUR
    1200,売掛金,売上債権,JPY
    {receivables}
    2200,未払費用,流動負債,JPY
"""


def test_a_japanese_receivable_named_by_the_provider_is_its_clearing_account(write):
    """A Japanese chart's provider balance was recognised only by 決済代行 in its name: beside 売掛金 Stripe (JPY),
    売掛金（PayPal） (USD) and Stripe 未収入金 (EUR) the plan proposed 売掛金(決済代行・JPY), (USD) and (EUR), a second
    clearing account for each. A receivable named by the provider alone is its clearing account now, as "Stripe
    clearing" is; for ERPNext, which keeps receivables per currency, PayPal's USD balance is still no customers' USD
    receivable: 売掛金(USD) is proposed, after 売掛金 and the numbers the clearing accounts hold."""
    receivables = ("1210,売掛金 Stripe,売上債権,JPY\n    1220,売掛金（PayPal）,売上債権,USD\n"
                   "    1300,Stripe 未収入金,その他流動資産,EUR")
    assert proposed(write, JAPANESE.format(receivables=receivables), ["JPY", "USD", "EUR"]) == {}
    assert proposed(write, JAPANESE.format(receivables=receivables), ["JPY", "USD"], ERPNEXT) == {
        "receivable:USD": ("1230", "売掛金(USD)")}


def test_a_customer_s_receivable_is_not_taken_for_the_provider_s(write):
    """A customer's name beside the receivable word, a customer paying through the provider (売掛金 Stripe NTT:
    three capitals that are no currency's code are a customer's name) or a name that starts with a provider's word (スクエア・エニックス) is a
    customer's receivable: the provider's clearing accounts are still proposed."""
    receivables = ("1210,売掛金 ABC商事,売上債権,JPY\n    1220,売掛金 スクエア・エニックス,売上債権,USD\n"
                   "    1230,売掛金 Stripe NTT,売上債権,EUR")
    assert proposed(write, JAPANESE.format(receivables=receivables), ["JPY", "USD", "EUR"]) == {
        "clearing:JPY": ("1240", "売掛金(決済代行・JPY)"), "clearing:USD": ("1250", "売掛金(決済代行・USD)"),
        "clearing:EUR": ("1260", "売掛金(決済代行・EUR)")}


def test_an_english_receivable_named_by_the_provider_is_its_clearing_account(write):
    """"PayPal receivable" typed Receivable was the chart's EUR customers' receivable, and "Provider clearing - EUR"
    was proposed beside it; "Accounts receivable - Acme" stays a customer's."""
    got = proposed(write, """
        Number,Name,Type,Currency
        1010,Bank - EUR,Bank,EUR
        1100,Accounts receivable - Acme,Receivable,USD
        1110,PayPal receivable,Receivable,EUR
    """, ["EUR", "USD"])
    assert got == {"bank:USD": ("1020", "Bank - USD"), "clearing:USD": ("1120", "Provider clearing - USD")}


CHINESE = """
    科目代码,科目名称,科目类别,币种,上级科目
    1001,库存现金,货币资金,CNY,
    1002,银行存款,货币资金,,
    100201,工商银行基本户,银行存款,CNY,1002
    100202,中国银行美元户,银行存款,USD,1002
    100203,中国银行欧元户,银行存款,EUR,1002
    {funds}
    1122,应收账款,应收账款,,
    112201,应收账款-华为技术,应收账款,CNY,1122
    {receivables}
    1221,其他应收款,其他应收款,,
    {others}
    2221,应交税费,应交税费,CNY,
    222101,应交增值税,应交税费,CNY,2221
"""


def test_a_chinese_chart_s_provider_balance_under_其他应收款_or_应收账款_is_its_clearing_account(write):
    """A Chinese chart keeps a payment institution's balance under 1012 其他货币资金 (其他货币资金-支付宝), and some under
    1221 其他应收款 (其他应收款-支付宝) or 1122 应收账款 (应收账款-Stripe). The plan saw only the first: beside
    其他应收款-支付宝 (CNY), 应收账款-Stripe (USD) and 其他应收款-PayPal (EUR) it opened 1012 其他货币资金 and proposed
    第三方支付人民币存款, 美元 and 欧元 under it, a second clearing account for each. They are the provider's now, and
    应收账款-华为技术, a customer's, is not: for ERPNext the customers' USD and EUR receivables are still proposed."""
    text = CHINESE.format(funds="", receivables="112202,应收账款-Stripe,应收账款,USD,1122",
                          others="122101,其他应收款-支付宝,其他应收款,CNY,1221\n    122102,其他应收款-PayPal,其他应收款,EUR,1221")
    assert proposed(write, text, ["CNY", "USD", "EUR"]) == {}
    assert proposed(write, text, ["CNY", "USD", "EUR"], ERPNEXT) == {
        "receivable:USD": ("112203", "应收账款-美元客户"), "receivable:EUR": ("112204", "应收账款-欧元客户")}


def test_a_chinese_detail_account_named_其他货币资金_dash_a_provider_is_no_bank(write):
    """A chart exported with no parent column names its detail accounts with their first-level account:
    其他货币资金-支付宝 (CNY), 其他货币资金-PayPal (USD), typed 货币资金 as banks are. The plan read them as the chart's
    CNY and USD banks and proposed 第三方支付 clearing accounts beside them for CNY and USD. They are the clearing
    accounts now: only EUR's is proposed, after them."""
    text = """
        科目代码,科目名称,科目类别,币种
        1001,库存现金,货币资金,CNY
        1002,银行存款,货币资金,
        100201,银行存款-工商银行基本户,银行存款,CNY
        1012,其他货币资金,货币资金,
        101201,其他货币资金-支付宝,货币资金,CNY
        101202,其他货币资金-PayPal,货币资金,USD
        2221,应交税费,应交税费,CNY
        222101,应交税费-应交增值税,应交税费,CNY
    """
    got = proposed(write, text, ["CNY", "USD", "EUR"])
    assert [purpose for purpose in got if purpose.startswith("clearing:")] == ["clearing:EUR"]
    assert got["clearing:EUR"][0] == "101203"


def test_a_chinese_chart_with_provider_balances_in_several_places_adds_new_ones_under_其他货币资金(write):
    """Where the chart keeps providers' balances both under 1012 其他货币资金 (其他货币资金-支付宝) and under 1221
    其他应收款 (其他应收款-PayPal), the new GBP clearing account followed the last of them, 122103
    其他应收款-第三方支付英镑存款, a deposit among the other receivables. It goes where the standard keeps balances with
    payment institutions, and the chart keeps some: 101202 under 1012. A chart that keeps them only under 其他应收款
    adds there, as it does."""
    others = "122101,其他应收款-PayPal,其他应收款,EUR,1221"
    both = CHINESE.format(funds="1012,其他货币资金,货币资金,,\n    101201,其他货币资金-支付宝,货币资金,CNY,1012",
                          receivables="", others=others)
    assert proposed(write, both, ["CNY", "EUR", "GBP"])["clearing:GBP"] == ("101202", "其他货币资金-第三方支付英镑存款")
    only = CHINESE.format(funds="", receivables="", others=others)
    assert proposed(write, only, ["EUR", "GBP"])["clearing:GBP"] == ("122102", "其他应收款-第三方支付英镑存款")


def test_shopify_payments_as_shopify_s_japanese_help_writes_it_is_the_provider_s(write):
    """Shopify's Japanese help writes 'Shopify ペイメント' with a space: 売掛金 Shopify ペイメント was read as a customer's
    receivable and a second clearing account proposed beside it; 売掛金 Shopify ABC商事 stays a customer's."""
    assert names_provider("売掛金 Shopify ペイメント") and names_provider("其他应收款-贝宝")
    assert not names_provider("売掛金 Shopify ABC商事")
    got = proposed(write, JAPANESE.format(receivables="    1210,売掛金 Shopify ペイメント,売上債権,JPY"), ["JPY"])
    assert "clearing:JPY" not in got
