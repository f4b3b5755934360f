"""What a candidate provider changes in the findings: each finding today and under the candidate, and why.

The comparison (:mod:`nexus.provider`) runs the check today and again with the candidate's roles applied and its
presence in place; :func:`nexus_changes` pairs the two checks' findings place by place (:class:`NexusChange`), says
how each changes (:data:`CHANGES`: nexus new, removed or resting on another ground (:func:`grounds`), the sales test's
status or the sales counted), and why, in sentences and in a few words for the screen: the provider's role there,
presence it brings or takes away.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Sequence

from nexus import places, presence
from nexus.findings import CheckResult, Finding
from nexus.categories import listed
from nexus.provider_presence import KIND_WORDS
from nexus.provider_profile import Profile
from nexus.provider_roles import Shift

#: Changes of a finding between today and a candidate, most consequential first.
CHANGES = ("new-nexus", "nexus-removed", "nexus-changed", "status-changed", "sales-changed", "unchanged")


@dataclass(frozen=True)
class NexusChange:
    """One finding today and under the candidate (either may be None: no finding there)."""

    jurisdiction: str
    scheme: str
    part_of: str
    name: str
    today: Finding | None
    under: Finding | None
    change: str
    why: tuple[str, ...]
    #: The reason in a few words, for the screen ("facilitated sales: the test leaves them out").
    gist: str = ""

    @property
    def shown(self) -> bool:
        """Worth a line on screen: the finding changes, or the candidate's role or presence touches a finding that
        exists both today and under the candidate (a state that counts facilitated sales)."""
        return self.change != "unchanged" or (bool(self.why) and self.today is not None and self.under is not None)

    @property
    def label(self) -> str:
        return f"{self.jurisdiction} ({self.scheme})" if self.scheme else self.jurisdiction

    @property
    def counted_label(self) -> str:
        """The place as the counts of new and removed nexus name it: a member state counted on its own ground (its
        stock, not the union's scheme) by its code alone, as the verdict's 'nexus on another ground' does."""
        return self.jurisdiction if self.part_of else self.label


def real_nexus(nexus: str | None) -> bool:
    return nexus in ("economic", "presence", "establishment")


def grounds(f: Finding | None) -> frozenset[str]:
    """What nexus there rests on: the sales test (``economic``), presence, or both, or the home. ``Finding.nexus``
    names one ground, the sales test first; presence that creates nexus beside it is the other. A warehouse in
    Frankfurt where the EU scheme's sales test already gave nexus kept ``economic`` and read 'unchanged', though
    it is a German VAT registration of its own."""
    if f is None or not real_nexus(f.nexus):
        return frozenset()
    if f.nexus == "establishment":
        return frozenset({"establishment"})
    return frozenset({f.nexus} | ({"presence"} if f.presence_verdict == "creates" else set()))


def _change(today: Finding | None, under: Finding | None) -> str:
    was, now = (today.nexus if today else None), (under.nexus if under else None)
    if not real_nexus(was) and real_nexus(now):
        return "new-nexus"
    if real_nexus(was) and not real_nexus(now):
        return "nexus-removed"
    if grounds(today) != grounds(under):
        return "nexus-changed"
    if today is not None and under is not None and today.rule is not None and under.rule is not None:
        if today.status != under.status:
            return "status-changed"
        if today.sales != under.sales:
            return "sales-changed"
    return "unchanged"


def money_words(amount: Decimal, code: str) -> str:
    from nexus.money import format_amount

    return f"{code} {format_amount(amount, code)}" if code else "nothing"


def _why(row_key: tuple[str, str, str], today: Finding | None, under: Finding | None, profile: Profile,
         shifts: Sequence[Shift], added: Sequence[presence.Verdict], removed: Sequence[presence.Verdict],
         home: str | None) -> tuple[tuple[str, ...], str]:
    """Why a finding differs under the candidate: sentences (the role, then presence that creates nexus), and
    the gist in a few words for the screen."""
    jurisdiction = row_key[0]
    finding = under or today
    rule = finding.rule if finding else None
    name = places.in_prose(finding.name if finding else places.name(jurisdiction))  # 'the Netherlands'
    mine = [s for s in shifts if s.jurisdiction == jurisdiction
            or (rule is not None and not row_key[2] and rule.covers(s.jurisdiction, home))]
    why: list[str] = []
    gist: list[str] = []
    counted = ""
    if today is not None and under is not None and today.rule is not None and today.currency:
        counted = (f" (sales counted {money_words(today.sales, today.currency)} today, "
                   f"{money_words(under.sales, under.currency)} under {profile.name})")
    roles = {s.role for s in mine}
    at_home = finding is not None and finding.status == "established"
    if "merchant-of-record" in roles and at_home:
        why.append(f"{profile.name} would be merchant of record for your direct sales to customers in {name}, your "
                   f"home: it sells to them and buys from you, so your sales to it stay your own supplies there, "
                   f"{finding.tax if finding else 'the tax'} on them is still yours to charge and account for, and "
                   f"{name}'s test counts them as today (at the orders' prices: the price "
                   f"{profile.name} pays you is for the contract to say)." + _where_it_belongs(finding, profile, name))
        gist.append(f"at home: sold to {profile.name}, still yours")
    elif "merchant-of-record" in roles:
        why.append(f"{profile.name} is merchant of record for the direct sales into {name}: they become its sales, "
                   f"not yours{counted}.")
        gist.append(f"merchant of record: {profile.name}'s sales now")
    if "marketplace-facilitator" in roles:
        if rule is not None and rule.marketplace == "excluded":
            why.append(f"{profile.name} facilitates the direct sales into {name} as marketplace facilitator, and "
                       f"{rule.name}'s test leaves facilitated sales out{counted}.")
            gist.append("facilitated: the test leaves them out")
        elif rule is not None and at_home and not rule.jurisdiction.startswith("US-"):
            # Abroad a marketplace is the deemed supplier of an overseas seller's goods only (Art. 14a(2) of the VAT
            # Directive, the UK's s. 5A): a seller established at home keeps its tax but for what the rule says.
            but = (f", but for the {listed(sorted(rule.marketplace_deemed))} it sells, whose supplier it is taken to "
                   f"be" if rule.marketplace_deemed else "")
            why.append(f"{profile.name} facilitates your direct sales in {name}, your home: the tax on them stays "
                       f"yours to charge (a marketplace is the supplier of goods only for sellers established "
                       f"abroad){but}; {name}'s test counts them as today{counted}.")
            gist.append("facilitated at home: still yours")
        elif rule is not None:
            why.append(f"{profile.name} facilitates the direct sales into {name} and collects the tax on them, but "
                       f"{rule.name}'s test still counts facilitated sales toward your threshold{counted}.")
            gist.append(f"facilitated: still counted; {profile.name} collects")
        else:
            why.append(f"{profile.name} facilitates the direct sales into {name} as marketplace facilitator.")
            gist.append("facilitated")
    for v in added:
        if v.verdict == "creates":
            why.append(f"{profile.name}'s {v.item.kind} at {v.item.location} ({v.item.source.file}:"
                       f"{v.item.source.line}): {v.reasons[0]}")
            gist.append(f"{KIND_WORDS.get(v.item.kind, v.item.kind)} at {v.item.location} creates presence")
    for v in removed:
        if v.verdict == "creates":
            why.append(f"Goes with the old provider: {v.item.kind} at {v.item.location} ({v.item.source.file}:"
                       f"{v.item.source.line}), which creates presence today.")
            gist.append(f"old {KIND_WORDS.get(v.item.kind, v.item.kind)} at {v.item.location} goes")
    abroad = sorted({s.jurisdiction for s in shifts if s.role == "merchant-of-record"
                     and rule is not None and rule.abroad(s.jurisdiction, home)})
    if abroad and at_home and today is not None and under is not None:
        # A home's domestic test that counts sales abroad (Japan's) still counts the exports the candidate sells on:
        # they are sold to it, not to the customers (_home_as_seller).
        shown = ", ".join(abroad[:6]) + (f" and {len(abroad) - 6} more" if len(abroad) > 6 else "")
        sold_at_home = "merchant-of-record" in roles  # the sentence above gave the price and the gist
        price = "" if sold_at_home else (f" (at the orders' prices: the price {profile.name} pays you is for the "
                                         f"contract to say)")
        why.append(f"{name[0].upper() + name[1:]}'s test counts your sales abroad; {profile.name} would be merchant "
                   f"of record for those into {shown}, buying from you: they stay your sales, to it, and the test "
                   f"counts them as today{price}.")
        if not sold_at_home:
            gist.append(f"exports sold to {profile.name}: still counted")
    if not why and today is not None and under is not None and today.status != under.status:
        why.append(f"The sales test is {today.status} today and {under.status} under {profile.name}{counted}.")
        gist.append(f"sales test {today.status} -> {under.status}")
    return tuple(why), "; ".join(gist)


def _where_it_belongs(finding: Finding | None, profile: Profile, name: str) -> str:
    """What the home's reading of a merchant of record leaves open for the seller's digital products, SaaS and
    services: sold to a business, they are supplied where it belongs (the EU's Art. 44, the UK's s. 7A, Japan's
    art. 4(3)), so they stay at home only if the provider is established there, which no profile says. Goods sent from
    home are supplied there whoever buys them."""
    if finding is None or not any(c.category != "goods" and c.sales for c in finding.categories):
        return ""
    return (f" Your digital products and services sold to it stay supplies in {name} only if {profile.name} is "
            f"established there: to a business established abroad they are supplied where it belongs, and would "
            f"leave the test and the tax (the profile does not say where it is established).")


def nexus_changes(before: CheckResult, after: CheckResult, profile: Profile, shifts: Sequence[Shift],
                  added: Sequence[presence.Verdict], removed: Sequence[presence.Verdict],
                  home: str | None) -> list[NexusChange]:
    def key(f: Finding) -> tuple[str, str, str]:
        return f.jurisdiction, f.scheme, f.part_of

    was = {key(f): f for f in before.findings}
    now = {key(f): f for f in after.findings}
    rows = []
    for k in list(was) + [k for k in now if k not in was]:
        today, under = was.get(k), now.get(k)
        finding = under or today
        here = (lambda verdicts: [v for v in verdicts if v.jurisdiction == k[0]])  # noqa: E731
        why, gist = _why(k, today, under, profile, shifts, here(added), here(removed), home)
        rows.append(NexusChange(k[0], k[1], k[2], finding.name if finding else places.name(k[0]), today, under,
                                _change(today, under), why, gist))
    order = {k: i for i, k in enumerate(now)}
    return sorted(rows, key=lambda r: (CHANGES.index(r.change), order.get((r.jurisdiction, r.scheme, r.part_of),
                                                                          len(order))))
