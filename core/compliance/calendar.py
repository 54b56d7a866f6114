"""The calendar of the compliance chain: deadlines per programme, province and sector, as data.

Calendar files (``allocation/calendars/*.yaml``, ``schemas/calendar.schema.json``) give each
deadline relative to the data year (the monitoring plan of year Y by 15 Oct of Y-1, the report by
1 Feb of Y+1...), monthly (N days after each month's end) or as a fixed date for named years; the
surrender deadline of each year comes from the allocation plan governing it. Every event carries
its citation and whether it is verified. :func:`to_ics` writes an iCalendar (RFC 5545) file a
compliance officer can import.
"""

from __future__ import annotations

import calendar as _cal
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources

from ..base.errors import InputError, RulesetError
from ..base.findings import Finding
from ..rules.ruleset import Citation, load_validated

NATIONAL = "national"


@dataclass(frozen=True)
class Event:
    date: date
    id: str
    kind: str
    label: dict
    programme: dict
    citation: str
    verified: bool
    note: str = ""
    month: int | None = None  # the month a monthly deadline is for

    def as_dict(self) -> dict:
        d = {"date": self.date.isoformat(), "id": self.id, "kind": self.kind, "label": self.label,
             "programme": self.programme, "citation": self.citation, "verified": self.verified}
        if self.month is not None:
            d["month"] = self.month
        if self.note:
            d["note"] = self.note
        return d


@dataclass
class Calendar:
    year: int
    province: str | None
    sector: str | None
    events: list[Event]
    programmes: list[str]
    missing: list = field(default_factory=list)  # [{programme, kinds, text {zh, en}}]: deadlines known to exist, not found

    def to_dict(self) -> dict:
        return {"year": self.year, "province": self.province, "sector": self.sector, "programmes": self.programmes,
                "events": [e.as_dict() for e in self.events], "missing": self.missing}


def parse_calendar(text: str, path: str) -> dict:
    data, _lines, where_of = load_validated(text, path, "calendar.schema.json", RulesetError, "a calendar")
    for i, e in enumerate(data["events"]):
        if e["source"]["doc"] not in data["sources"]:
            raise RulesetError(f"cites source {e['source']['doc']!r}, which is not declared under sources",
                               where_of(("events", i, "source")), code="undefined-name")
    return data


def bundled_calendar_files() -> list:
    """The calendar files shipped with mrv-engine (``allocation/calendars/*.yaml``)."""
    folder = resources.files("mrv_engine").joinpath("allocation", "calendars")
    return sorted((f for f in folder.iterdir() if f.name.endswith((".yaml", ".yml"))), key=lambda f: f.name)


@lru_cache(maxsize=1)
def bundled_calendars() -> tuple:
    return tuple(parse_calendar(f.read_text(encoding="utf-8"), f"allocation/calendars/{f.name}") for f in bundled_calendar_files())


def _norm(name: str) -> str:
    return name.strip().lower()


def calendar_of_province(province: str | None, calendars=None) -> dict | None:
    """The provincial calendar a province name selects (None: no provincial data)."""
    if not province:
        return None
    for c in calendars or bundled_calendars():
        if _norm(province) in {_norm(p) for p in c.get("provinces") or []}:
            return c
    return None


def _applies(e: dict, year: int) -> bool:
    if "years" in e:
        return year in e["years"]
    return e.get("from_year", 0) <= year <= e.get("to_year", 10**6)


def _sector_matches(e: dict, sector: str | None) -> bool:
    """An event (or a missing entry) of ``sectors`` applies to ``sector``: named, "all", or "non_power" for any but power."""
    sectors = e["sectors"]
    if sector is None or "all" in sectors or sector in sectors:
        return True
    return sector != "power" and "non_power" in sectors


def _years_text(e: dict) -> str:
    if "years" in e:
        return ", ".join(str(y) for y in e["years"])
    lo, hi = e.get("from_year"), e.get("to_year")
    return f"{lo or ''}–{hi or ''}"


def coverage(calendars=None, plans=()) -> dict:
    """What the calendars hold ({zh, en}): for each programme, its sectors and the data years of their events,
    and the surrender deadlines the allocation plans give, so a refusal can say what there is."""
    parts = {"zh": [], "en": []}
    for c in calendars or bundled_calendars():
        spans: dict[str, set] = {}
        for e in c["events"]:
            spans.setdefault(", ".join(e["sectors"]), set()).add(_years_text(e))
        body = "; ".join(f"{s} ({' / '.join(sorted(y))})" for s, y in sorted(spans.items()))
        where = f" [{', '.join(c.get('provinces') or [])}]" if c.get("provinces") else ""
        parts["zh"].append(f"{c['programme']['zh']}{where}：{body}")
        parts["en"].append(f"{c['programme']['en']}{where}: {body}")
    years_of: dict[str, list] = {}
    for p in plans:
        years_of.setdefault(p.sector, []).extend(y for y in range(p.year_from, p.year_to + 1) if p.deadline(y))
    sur = [f"{s} {min(ys)}–{max(ys)}" if len(ys) > 1 else f"{s} {ys[0]}" for s, ys in sorted(years_of.items()) if ys]
    if sur:
        parts["zh"].append("配额方案的清缴期限：" + "、".join(sur))
        parts["en"].append("surrender deadlines of the allocation plans: " + ", ".join(sur))
    return {"zh": "；".join(parts["zh"]), "en": "; ".join(parts["en"])}


def missing_of(c: dict, year: int, sector: str | None) -> list[dict]:
    """The deadlines a calendar declares missing (known to exist, not found) for ``year`` and ``sector``."""
    return [{"programme": c["programme"], "kinds": m["kinds"], "text": m["text"]} for m in c.get("missing") or []
            if _applies(m, year) and _sector_matches(m, sector)]


def _cite(c: dict, e: dict) -> str:
    src = c["sources"][e["source"]["doc"]]
    return Citation(e["source"]["doc"], e["source"].get("clause", ""), "", src["title"], src.get("number", "")).text()


def month_end(year: int, month: int) -> date:
    return date(year, month, _cal.monthrange(year, month)[1])


def events_of(c: dict, year: int, sector: str | None) -> list[Event]:
    out = []
    for e in c["events"]:
        if not _applies(e, year) or not _sector_matches(e, sector):
            continue
        common = {"id": e["id"], "kind": e.get("kind", "other"), "label": e["label"], "programme": c["programme"],
                  "citation": _cite(c, e), "verified": e.get("verified", True), "note": e.get("note", "")}
        if "monthly" in e:
            for m in range(1, 13):
                due = month_end(year, m) + timedelta(days=e["monthly"]["days_after_month_end"])
                label = {"zh": f"{year}年{m}月 {e['label']['zh']}", "en": f"{year}-{m:02d}: {e['label']['en']}"}
                out.append(Event(due, **{**common, "label": label}, month=m))
        elif "due" in e:
            d = e["due"]
            y = year + d["year"]
            out.append(Event(date(y, d["month"], min(d["day"], _cal.monthrange(y, d["month"])[1])), **common))
        else:
            out.append(Event(date.fromisoformat(e["date"]), **common))
    return out


def build(year: int, province: str | None = None, sector: str | None = None, plans=(), calendars=None) -> Calendar:
    """The deadlines of data ``year``: the national calendar, the province's where given, and the
    surrender deadline of each allocation plan governing the year (of ``sector`` where given)."""
    calendars = calendars or bundled_calendars()
    chosen = [c for c in calendars if c["id"] == NATIONAL]
    if province:
        own = calendar_of_province(province, calendars)
        if own is None:
            known = sorted({p for c in calendars for p in c.get("provinces") or []})
            raise InputError(f"--province: no calendar data for {province!r}", [Finding(
                "calendar.no_data", "province",
                f"no calendar data for province {province!r}; provinces with data: {', '.join(known) or 'none'} "
                f"(without --province: the national calendar)", f"没有 {province} 的日历数据")])
        chosen.append(own)
    events, missing = [], []
    for c in chosen:
        events += events_of(c, year, sector)
        missing += missing_of(c, year, sector)
    for plan in plans:
        if sector not in (None, plan.sector) or not plan.governs(year):
            continue
        d = plan.deadline(year)
        if d:
            c = plan.citation(d["source"])
            events.append(Event(date.fromisoformat(d["date"]), f"surrender_{plan.sector}", "surrender",
                                {"zh": f"{year}年度配额清缴（{plan.sector}）", "en": f"Surrender of {year} allowances ({plan.sector})"},
                                {"zh": "全国碳市场", "en": "National ETS"}, c.text() if c else "", d.get("verified", True), d.get("note", "")))
    if not events:
        what = f"data year {year}" + (f", sector {sector}" if sector else "") + (f", province {province}" if province else "")
        gaps = "".join(f"; known gap: {m['text']['en']}" for m in missing)
        gaps_zh = "".join(f"；{m['text']['zh']}" for m in missing)
        have = coverage(calendars, plans)
        raise InputError(f"no deadline known for {what}", [Finding(
            "calendar.no_data", "year",
            f"no deadline (report, verification, monthly evidence, surrender...) is known for {what}{gaps}. "
            f"The calendars have: {have['en']}",
            f"{year}年度{('、' + sector) if sector else ''}没有已知的期限{gaps_zh}。现有日历：{have['zh']}")])
    events.sort(key=lambda e: (e.date, e.id, e.month or 0))
    return Calendar(year, province, sector, events, [c["id"] for c in chosen], missing)


def monthly_deadline(year: int, month: int, province: str | None, sector: str, calendars=None) -> tuple[date, Event] | None:
    """The monthly-evidence deadline of ``month`` of ``year``: the province's where it has one, else the national one."""
    calendars = calendars or bundled_calendars()
    order = [calendar_of_province(province, calendars)] + [c for c in calendars if c["id"] == NATIONAL]
    for c in order:
        if c is None:
            continue
        for e in events_of(c, year, sector):
            if e.kind == "monthly_evidence" and e.month == month:
                return e.date, e
    return None


# -- iCalendar ---------------------------------------------------------------------

def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 5545 3.1), never inside a UTF-8 character."""
    out, chunk = [], b""
    for ch in line:
        b = ch.encode("utf-8")
        if len(chunk) + len(b) > (75 if not out else 74):
            out.append(chunk.decode("utf-8"))
            chunk = b""
        chunk += b
    out.append(chunk.decode("utf-8"))
    return "\r\n ".join(out)


def to_ics(cal: Calendar, lang: str = "zh") -> str:
    """An iCalendar file of every deadline, as all-day events; stable output (UIDs and stamps from the events)."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//mrv-engine//compliance calendar//ZH", "CALSCALE:GREGORIAN",
             f"X-WR-CALNAME:{_escape(('碳市场履约日历 ' if lang == 'zh' else 'ETS compliance calendar ') + str(cal.year))}"]
    for e in cal.events:
        day = e.date.strftime("%Y%m%d")
        uid = f"{cal.year}-{e.id}{'-' + str(e.month) if e.month else ''}-{day}@mrv-engine"
        desc = f"{e.programme[lang]}\n{'依据' if lang == 'zh' else 'Source'}: {e.citation}"
        if not e.verified:
            desc += "\n" + ("未核实（原文未读）" if lang == "zh" else "Unverified (the document was not read)")
        lines += ["BEGIN:VEVENT", f"UID:{uid}", f"DTSTAMP:{day}T000000Z", f"DTSTART;VALUE=DATE:{day}",
                  f"DTEND;VALUE=DATE:{(e.date + timedelta(days=1)).strftime('%Y%m%d')}",
                  f"SUMMARY:{_escape(e.label[lang])}", f"DESCRIPTION:{_escape(desc)}", "TRANSP:TRANSPARENT", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(x) for x in lines) + "\r\n"


def table(cal: Calendar, lang: str = "zh") -> str:
    zh = lang == "zh"
    head = f"{cal.year}{'年度履约日历' if zh else ' compliance calendar'}" + (f"  {cal.province}" if cal.province else "") + \
        (f"  {cal.sector}" if cal.sector else "")
    lines = [head, ""]
    for e in cal.events:
        mark = "" if e.verified else (" [未核实]" if zh else " [unverified]")
        lines.append(f"{e.date.isoformat()}  {e.label[lang]}{mark}")
        lines.append(f"            {e.programme[lang]} — {e.citation}")
    for m in cal.missing:
        lines.append(f"{'未收录' if zh else 'Not known'}: {m['text'][lang]} ({m['programme'][lang]})")
    return "\n".join(lines) + "\n"
