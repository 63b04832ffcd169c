"""Review pages: the indicator rows of each document beside the sentence they came from, as plain HTML.

`render_review` turns rows of the documents, sentences and indicators datasets into an index
page and one page per document, keyed by file name. A reviewer reads each figure with its
quote marked inside its sentence, its attributes and the flags that say what to look at. The
pages are self-contained (inline CSS, no script, no external resource) so they open offline
and can be mailed; every text from a report is escaped, and the same rows give the same bytes.

Every row shows its key (doc_id, start, end), the key of a line in a corrections file, and the
fields a correction set. Served by `govreport review` (an `Editing` given), a document's page
also carries plain HTML forms (no script) that post a correction of each row, or a figure to
add in any sentence, and marks rows with corrections saved but not yet applied as pending.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html import escape

from transforms.codes import IndicatorCodes
from transforms.contracts import CORRECTABLE, STATUSES, UNITS, VALUE_RANGES

# Bounds on a page, so a huge document (one sentence of megabytes, tens of thousands of
# figures) still gives a page a browser opens: context either side of a quote, rows a page.
CONTEXT = 300
MAX_PAGE_ROWS = 5000
LONG_NAME = 16  # the extract stage caps names at 18 characters; from 16 on they run into the clause
# What a reviewer should check, in the order the pages list them. Each is cheap to compute and
# points at a known way extraction goes wrong; none means the row is wrong, only worth a look.
FLAGS: tuple[tuple[str, str], ...] = (
    ("default_scope", "Period/status from the document default, not a cue: no time named near the figure."),
    ("no_name", "No indicator name: the figure is not attached to what it measures."),
    ("unit_unusual", "Unit unusual for the indicator: its code (or the code its name would get) measures another "
                     "unit, and this is not a percent/pp change or share of it nor a multiple."),
    ("out_of_range", "Value outside the usual range: a percent change above 100, a share above 100%, more than "
                     "50 percentage points, an amount or count of 0, or outside the contract's bounds for the unit."),
    ("vague_name", "Name too short or generic to say what is measured (one character, or 项目, 企业, 投资 …)."),
    ("long_name", f"Name of {LONG_NAME} characters or more: it has probably swallowed the surrounding clause."),
    ("duplicate", "The same indicator, value and unit twice in one sentence: a double reading or a lost "
                  "distinction."),
    ("no_direction", "A change without a direction (up or down)."),
    ("range_mismatch", "Qualifier and upper bound disagree: a range without value_high, value_high without a "
                       "range, or value_high below value."),
    ("quote_not_found", "The quote is not in its sentence's cleaned text: check the offsets."),
)  # fmt: skip
FLAG_IDS = tuple(flag for flag, _ in FLAGS)
# Heads of noun phrases that name no quantity on their own; the extract stage falls back to them
# when the real subject is further back in the sentence.
VAGUE_NAMES = frozenset(
    {"项目", "企业", "国家", "建设", "投资", "总量", "指标", "主要指标", "措施", "单位", "其他", "产量", "产值",
     "总额", "实际", "比前增长", "方面工作", "整合为", "年产", "政策措施", "省份", "城市", "学科", "高校", "就业"}
)  # fmt: skip
# One-character names that are whole names: the products of the 1950s-90s plan reports (钢 6604万吨).
PRODUCT_NAMES = frozenset("钢鋼糖纸紙表纱紗电電煤肉油粮糧棉布盐鹽茶酒")
ATTRIBUTES = ("indicator", "value", "value_high", "unit", "measure", "direction", "qualifier", "baseline", "status",
              "period", "indicator_code", "page")  # fmt: skip
_UNSAFE_FILE_CHARS = re.compile(r"[^A-Za-z0-9_.-]")
_BLANKS = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")

_CSS = """
body{font:14px/1.45 system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:0 1.5em 3em;color:#222}
h1{font-size:1.4em;margin:.8em 0 .3em}
p.meta{color:#555;margin:.2em 0 1em}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #ddd;padding:.3em .4em;vertical-align:top;text-align:left}
td{font-size:.93em}
thead th{position:sticky;top:0;background:#f4f4f4;z-index:1;box-shadow:0 1px 0 #bbb}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.sentence{max-width:34em;min-width:16em}
tr.flagged{background:#fff4e0}
mark{background:#ffd54a;padding:0 .1em}
.flag{display:inline-block;background:#c0392b;color:#fff;border-radius:3px;padding:0 .35em;
  margin:0 .2em .2em 0;font-size:.85em;white-space:nowrap}
.missing{color:#aaa}
.quote{color:#555;font-size:.9em}
.code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em}
.filters{margin:.5em 0 1em;line-height:2}
input[name=show]{vertical-align:middle;margin:.2em .2em .2em 0}
input[name=show]+label{margin-right:1em;cursor:pointer;white-space:nowrap}
p.filters{display:inline;margin-right:.5em}
input#show-all~table{margin-top:.8em}
table.legend{width:auto;margin-bottom:1em}
.key{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.8em;color:#555;white-space:nowrap}
.corrected{display:inline-block;background:#2e7d32;color:#fff;border-radius:3px;padding:0 .35em;font-size:.85em}
.pending{display:inline-block;background:#1565c0;color:#fff;border-radius:3px;padding:0 .35em;font-size:.85em;
  margin:.2em 0}
form.fix{margin:.2em 0;white-space:nowrap}
form.fix input[type=text]{width:7em}
""".strip()


@dataclass(frozen=True)
class Editing:
    """What a served page needs for its forms: where they post, and the saved corrections not yet applied."""

    action: str  # the URL the forms post to
    pending: Mapping[tuple[str, int, int], tuple[str, ...]]  # key -> pending lines, described


@dataclass(frozen=True)
class _Row:
    """An indicator row as the pages need it: its attributes, its sentence and its flags."""

    doc_id: str
    start: int
    end: int
    quote: str
    sentence_html: str
    attributes: tuple[object, ...]
    flags: tuple[str, ...]
    corrected: str | None = None  # the fields a correction set


def _missing(value: object) -> bool:
    # Rows come from pandas (NaN, None, pd.NA) or from Arrow's to_pylist (None). Called for
    # every cell of every row: the common types are tested first.
    kind = type(value)
    if kind is str or kind is int:
        return False
    if value is None or (kind is float and math.isnan(value)):
        return True
    return kind.__name__ == "NAType"


def _text(value: object) -> str | None:
    if _missing(value):
        return None
    # Partition columns come back as floats when a partition is missing (2021.0).
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _number(value: object) -> float | None:
    return None if _missing(value) else float(value)  # type: ignore[arg-type]


def format_value(value: object) -> str:
    """A value as a reviewer reads it: integers with thousands separators, fractions as written.

    >>> format_value(774000.0), format_value(45.9), format_value(None), format_value(1e17)
    ('774,000', '45.9', '', '100,000,000,000,000,000')
    """
    number = _number(value)
    if number is None:
        return ""
    if number.is_integer() and abs(number) < 1e21:
        return f"{int(number):,}"
    return f"{number:.10g}"


def _out_of_range(value: float, value_high: float | None, unit: str, measure: str) -> bool:
    low, high = VALUE_RANGES.get(unit, (-math.inf, math.inf))
    if not all(low <= v <= high for v in (value, value_high) if v is not None):
        return True
    if unit == "percent":
        # Growth above 100% in a year happens to small series, but in a report it is more often
        # a misread base or a level read as a change; a share above 100% is a plan fulfilment
        # rate or a misreading.
        return value > 100
    if unit == "pp":
        return value > 50
    # An amount or count of nothing is not reported as a figure; 0 is usually a dropped digit.
    return value == 0 and measure == "level"


def _flags(
    row: Mapping[str, object],
    found: bool,
    duplicate: bool,
    codes: IndicatorCodes | None,
) -> tuple[str, ...]:
    """The flag ids that apply to one indicator row, in FLAGS order."""
    name = _text(row.get("indicator")) or ""
    unit = _text(row.get("unit")) or ""
    measure = _text(row.get("measure")) or ""
    value = _number(row.get("value"))
    value_high = _number(row.get("value_high"))
    qualifier = _text(row.get("qualifier"))
    code = _text(row.get("indicator_code"))
    flags = set()
    if _text(row.get("scope_cue")) == "document":
        flags.add("default_scope")
    if not name.strip():
        flags.add("no_name")
    elif (len(name) <= 1 and name not in PRODUCT_NAMES) or name in VAGUE_NAMES:
        flags.add("vague_name")
    if len(name) >= LONG_NAME:
        flags.add("long_name")
    if codes is not None and name:
        if code is not None:
            unusual = not codes.unit_fits(code, unit, measure)
        else:
            # A familiar name the unit keeps from its code (国内生产总值 counted in persons).
            unusual = bool(codes.match(name)) and codes.code_for(name, unit, measure) is None
        if unusual:
            flags.add("unit_unusual")
    if value is not None and _out_of_range(value, value_high, unit, measure):
        flags.add("out_of_range")
    if duplicate:
        flags.add("duplicate")
    if measure == "change" and _missing(row.get("direction")):
        flags.add("no_direction")
    if (qualifier == "range") != (value_high is not None) or (
        value is not None and value_high is not None and value_high < value
    ):
        flags.add("range_mismatch")
    if not found:
        flags.add("quote_not_found")
    return tuple(f for f in FLAG_IDS if f in flags)


def highlight(text: str, quote: str, near: int) -> tuple[str, bool]:
    """The sentence as HTML with the occurrence of the quote nearest `near` marked, and whether it was found.

    The quote is as written in the source, the sentence cleaned: a quote split by a line break or
    spaced out (7 4 7 7 2 亿元) is looked for again without its blanks.

    >>> highlight("增长7%，其中<b>7%", "7%", 12)
    ('增长7%，其中&lt;b&gt;<mark>7%</mark>', True)
    >>> highlight("达到74772亿元", "7 4 7 7 2\\n亿元", 2)
    ('达到<mark>74772亿元</mark>', True)
    >>> highlight("增长七", "7%", 0)
    ('增长七', False)
    """
    for needle in dict.fromkeys((quote, _BLANKS.sub("", quote))):
        if not needle:
            continue
        best = -1
        at = text.find(needle)
        while at >= 0:
            if best < 0 or abs(at - near) < abs(best - near):
                best = at
            at = text.find(needle, at + 1)
        if best >= 0:
            end = best + len(needle)
            return f"{escape(_tail(text[:best]))}<mark>{escape(needle)}</mark>{escape(_head(text[end:]))}", True
    return escape(_head(text, 2 * CONTEXT)), False


def _head(text: str, size: int = CONTEXT) -> str:
    return text if len(text) <= size else text[:size] + "…"


def _tail(text: str, size: int = CONTEXT) -> str:
    return text if len(text) <= size else "…" + text[-size:]


def page_name(doc_id: str) -> str:
    """The file name of a document's page: its id, with anything unsafe in a path replaced.

    >>> page_name("7ecb4e462155040d"), page_name("../x y")
    ('7ecb4e462155040d.html', '.._x_y.html')
    """
    return f"{_UNSAFE_FILE_CHARS.sub('_', doc_id)}.html"


def _key(row: Mapping[str, object]) -> tuple[str, int]:
    return str(row["doc_id"]), int(row["sentence_id"])  # type: ignore[call-overload]


def _document_order(row: Mapping[str, object]) -> tuple[object, ...]:
    return (str(row["doc_id"]), int(row["start"]), int(row["end"]),  # type: ignore[call-overload]
            *(_text(row.get(a)) or "" for a in ATTRIBUTES))  # fmt: skip


def review_rows(
    sentences: Iterable[Mapping[str, object]],
    indicators: Iterable[Mapping[str, object]],
    codes: IndicatorCodes | None = None,
) -> list[_Row]:
    """Every indicator row with its highlighted sentence and flags, in document order."""
    # Ties (two readings of one quote) are broken on the row's content, so input order never shows.
    rows = sorted(indicators, key=_document_order)
    wanted = {_key(r) for r in rows}
    by_key = {_key(s): s for s in sentences if _key(s) in wanted}
    figures = Counter((_key(r), _text(r.get("indicator")), _number(r.get("value")), _text(r.get("unit"))) for r in rows)
    result = []
    for row in rows:
        key = _key(row)
        quote = _text(row.get("quote")) or ""
        sentence = by_key.get(key)
        if sentence is not None:
            near = int(row["start"]) - int(sentence["start"])  # type: ignore[call-overload]
            sentence_html, found = highlight(_text(sentence.get("text")) or "", quote, near)
        else:
            sentence_html, found = "", False
        figure = (key, _text(row.get("indicator")), _number(row.get("value")), _text(row.get("unit")))
        flags = _flags(row, found, figures[figure] > 1, codes)
        attributes = tuple(row.get(a) for a in ATTRIBUTES)
        result.append(
            _Row(
                key[0],
                int(row["start"]),
                int(row["end"]),
                quote,
                sentence_html,
                attributes,
                flags,  # type: ignore[call-overload]
                _text(row.get("corrected")),
            )  # fmt: skip
        )
    return result


def _page(title: str, body: list[str]) -> str:
    head = ['<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n',
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
            f"<title>{escape(title)}</title>\n<style>\n{_CSS}\n</style>\n</head>\n<body>\n"]  # fmt: skip
    return "".join([*head, *body, "</body>\n</html>\n"])


def _cell(value: object, css: str = "") -> str:
    attr = f' class="{css}"' if css else ""
    if _missing(value) or value == "":
        return f'<td{attr}><span class="missing">–</span></td>'
    return f"<td{attr}>{escape(str(value))}</td>"


def _legend(counts: Counter[str], only_present: bool = False) -> list[str]:
    parts = ['<table class="legend"><thead><tr><th>flag</th><th class="num">rows</th><th>what to check</th></tr>'
             "</thead><tbody>\n"]  # fmt: skip
    for flag, description in FLAGS:
        if only_present and not counts[flag]:
            continue
        parts.append(f'<tr><td><span class="flag">{flag}</span></td><td class="num">{counts[flag]:,}</td>'
                     f"<td>{escape(description)}</td></tr>\n")  # fmt: skip
    parts.append("</tbody></table>\n")
    return parts


def _filter_css() -> str:
    # A radio button per flag hides the rows without it: filtering with CSS alone keeps the
    # pages free of script.
    rules = ["#show-flagged:checked~table tbody tr:not(.flagged){display:none}"]
    rules += [f"#show-{f}:checked~table tbody tr:not(.f-{f}){{display:none}}" for f in FLAG_IDS]
    return "<style>\n" + "\n".join(rules) + "\n</style>\n"


def _hidden(name: str, value: object) -> str:
    return f'<input type="hidden" name="{name}" value="{escape(str(value))}">'


def _options(values: Iterable[str], label: str) -> str:
    return f'<option value="">{label}</option>' + "".join(f'<option value="{v}">{v}</option>' for v in values)


def _row_form(row: _Row, editing: Editing) -> str:
    """A form that posts one correction of the row: a field and its new value, or drop."""
    fields = [*CORRECTABLE, "drop"]
    return (
        f'<form class="fix" method="post" action="{escape(editing.action)}">'
        + _hidden("action", "correct") + _hidden("doc_id", row.doc_id) + _hidden("start", row.start)
        + _hidden("end", row.end)
        + f'<select name="field" aria-label="field">{_options(fields, "field…")}</select> '
        + '<input type="text" name="value" placeholder="new value" aria-label="value"> '
        + '<input type="text" name="note" placeholder="note" aria-label="note"> '
        + '<button type="submit">save</button></form>'
    )  # fmt: skip


def _add_form(doc_id: str, sentence: Mapping[str, object], editing: Editing) -> str:
    """A form that posts a figure the extraction missed in a sentence, found by its quote."""
    inputs = "".join(f'<input type="text" name="{n}" placeholder="{n}" aria-label="{n}"> '
                     for n in ("quote", "indicator", "value", "period", "note"))  # fmt: skip
    return (
        f'<form class="fix" method="post" action="{escape(editing.action)}">'
        + _hidden("action", "add") + _hidden("doc_id", doc_id) + _hidden("sentence_id", sentence["sentence_id"])
        + inputs + f'<select name="unit" aria-label="unit">{_options(UNITS, "unit…")}</select> '
        + f'<select name="status" aria-label="status">{_options(STATUSES, "status…")}</select> '
        + '<button type="submit">add</button></form>'
    )  # fmt: skip


def _sentences_section(doc_id: str, sentences: list[Mapping[str, object]], editing: Editing) -> list[str]:
    body = [
        '<h2 id="add">Add a missed figure</h2>\n<p class="meta">Type the figure as the sentence writes it '
        "(the quote, e.g. 77.4万人) and its attributes; it is found in the sentence and added by the next "
        "run.</p>\n<table>\n<thead><tr><th>key</th><th>sentence</th><th>add</th></tr></thead>\n<tbody>\n"
    ]
    for sentence in sentences:
        key = f"{_text(sentence.get('start'))}–{_text(sentence.get('end'))}"
        body.append(
            f'<tr><td class="key">{key}</td><td class="sentence">{escape(_text(sentence.get("text")) or "")}'
            f"</td><td>{_add_form(doc_id, sentence, editing)}</td></tr>\n"
        )
    body.append("</tbody>\n</table>\n")
    return body  # fmt: skip


def _pending_additions(doc_id: str, rows: list[_Row], editing: Editing) -> list[str]:
    shown = {(r.doc_id, r.start, r.end) for r in rows}
    waiting = [(k, lines) for k, lines in sorted(editing.pending.items()) if k[0] == doc_id and k not in shown]
    if not waiting:
        return []
    items = "".join(f'<li><span class="key">{k[1]}–{k[2]}</span> <span class="pending">pending</span> '
                    f'{escape("; ".join(lines))}</li>\n' for k, lines in waiting)  # fmt: skip
    return [f'<p class="meta">Saved, applied by the next run:</p>\n<ul>\n{items}</ul>\n']


def _pages_of(name: str, count: int) -> tuple[str, ...]:
    """The file names of a document's pages when its rows fill `count` pages: the first is `name`.

    >>> _pages_of("7ecb.html", 3)
    ('7ecb.html', '7ecb-p2.html', '7ecb-p3.html')
    """
    return (name, *(f"{name[:-5]}-p{n}.html" for n in range(2, count + 1)))


def _page_links(names: tuple[str, ...], current: int) -> str:
    links = [f"<b>{n}</b>" if n == current else f'<a href="{escape(name)}">{n}</a>' for n, name in enumerate(names, 1)]
    return f'<p class="meta">page {current} of {len(names)} ({MAX_PAGE_ROWS:,} rows a page): {" ".join(links)}</p>\n'


def _document_page(
    document: Mapping[str, object],
    rows: list[_Row],
    editing: Editing | None = None,
    sentences: list[Mapping[str, object]] | None = None,
    pages: tuple[str, ...] = (),
    current: int = 1,
) -> str:
    """One page of a document's rows: the `current` of its `pages` (file names) when there are several."""
    doc = _text(document.get("doc")) or str(document["doc_id"])
    counts = Counter(f for r in rows for f in r.flags)
    flagged = sum(1 for r in rows if r.flags)
    meta = " · ".join(
        escape(str(v)) for v in (_text(document.get("title")), _text(document.get("region")),
                                 _text(document.get("level")), _text(document.get("report_year"))) if v
    )  # fmt: skip
    doc_id = escape(str(document["doc_id"]))
    body = ['<p><a href="index.html">← all documents</a></p>\n', f"<h1>{escape(doc)}</h1>\n",
            f'<p class="meta">{meta} · doc_id <span class="code">{doc_id}</span> · {len(rows):,} indicators, '
            f"{flagged:,} flagged</p>\n"]  # fmt: skip
    if counts:
        body += _legend(counts, only_present=True)
    body.append(_filter_css())
    # The radios are bare siblings of the table, as the CSS filter's sibling selectors need.
    body.append('<p class="filters">show:</p>\n')
    options = [("all", f"all ({len(rows):,})"), ("flagged", f"flagged ({flagged:,})")]
    options += [(f, f"{f} ({counts[f]:,})") for f in FLAG_IDS if counts[f]]
    for option, label in options:
        checked = " checked" if option == "all" else ""
        body.append(f'<input type="radio" name="show" id="show-{option}"{checked}>'
                    f'<label for="show-{option}"> {label}</label>\n')  # fmt: skip
    if editing is not None:
        body += _pending_additions(str(document["doc_id"]), rows, editing)
    body.append('\n<table>\n<thead><tr><th class="num">#</th><th>key</th><th>sentence (quote marked)</th>')
    body.append("".join(f"<th>{a}</th>" for a in ATTRIBUTES))
    body.append("<th>flags</th>" + ("<th>correct</th>" if editing else "") + "</tr></thead>\n<tbody>\n")
    paging = _page_links(pages, current) if len(pages) > 1 else ""
    body.append(paging)
    first = (current - 1) * MAX_PAGE_ROWS
    for number, row in enumerate(rows[first : first + MAX_PAGE_ROWS], first + 1):
        css = " ".join(["flagged" if row.flags else "", *(f"f-{f}" for f in row.flags)]).strip()
        sentence = row.sentence_html
        if "quote_not_found" in row.flags:
            sentence += f'<div class="quote">quote: <mark>{escape(row.quote)}</mark> [{row.start}, {row.end})</div>'
        cells = [f'<tr id="r{number}"' + (f' class="{css}"' if css else "") + ">",
                 f'<td class="num"><a href="#r{number}">{number}</a></td>',
                 f'<td class="key">{escape(row.doc_id)}<br>{row.start}–{row.end}</td>',
                 f'<td class="sentence">{sentence}</td>']  # fmt: skip
        for name, value in zip(ATTRIBUTES, row.attributes, strict=True):
            if name in ("value", "value_high"):
                cells.append(f'<td class="num">{escape(format_value(value))}</td>')
            else:
                cells.append(_cell(value, "code" if name == "indicator_code" else ""))
        marks = "".join(f'<span class="flag">{f}</span>' for f in row.flags)
        if row.corrected:
            marks += f'<span class="corrected">corrected: {escape(row.corrected)}</span>'
        pending = editing.pending.get((row.doc_id, row.start, row.end)) if editing else None
        if pending:
            marks += f'<div class="pending">pending: {escape("; ".join(pending))}</div>'
        cells.append(f"<td>{marks}</td>")
        if editing is not None:
            cells.append(f"<td>{_row_form(row, editing)}</td>")
        body.append("".join(cells) + "</tr>\n")
    body.append("</tbody>\n</table>\n")
    body.append(paging)
    if editing is not None and sentences and current == 1:
        body += _sentences_section(str(document["doc_id"]), sentences, editing)
    return _page(doc, body)


def render_review(
    documents: list[dict],
    sentences: list[dict],
    indicators: list[dict],
    codes: IndicatorCodes | None = None,
    editing: Editing | None = None,
) -> dict[str, str]:
    """The review pages by file name: "index.html" and one "<doc_id>.html" per document (with
    "<doc_id>-p2.html" … for a document of more than MAX_PAGE_ROWS rows).

    With `editing` (pages served by `govreport review`), every row gets a correction form and
    every sentence given (pass them all) a form to add a missed figure.

    Rows are dicts with the columns of the DOCUMENTS, SENTENCES and INDICATORS contracts;
    indicators may carry `indicator_code`. With `codes`, a unit foreign to the row's code (or
    to the code its name would get) is flagged too.
    """
    rows = review_rows(sentences, indicators, codes)
    by_doc: dict[str, list[_Row]] = {}
    for row in rows:
        by_doc.setdefault(row.doc_id, []).append(row)
    docs = {str(d["doc_id"]): d for d in documents}
    for row in indicators:
        # A document missing from `documents` still gets a page: its rows must not vanish.
        docs.setdefault(str(row["doc_id"]), {"doc_id": row["doc_id"], "doc": row.get("doc")})
    order = sorted(
        docs.values(),
        key=lambda d: (_text(d.get("level")) or "~", _text(d.get("report_year")) or "~", _text(d.get("doc")) or "",
                       str(d["doc_id"])),
    )  # fmt: skip
    pages: dict[str, str] = {}
    names: dict[str, str] = {}
    for document in order:
        doc_id = str(document["doc_id"])
        name = page_name(doc_id)
        if name in pages or name == "index.html":
            name = f"{name[:-5]}_{len(pages)}.html"
        names[doc_id] = name
        own = None
        if editing is not None:
            own = sorted((s for s in sentences if str(s["doc_id"]) == doc_id), key=lambda s: int(s["start"]))
        own_rows = by_doc.get(doc_id, [])
        # A document with more rows than a browser shows at ease is paged, its first page the one linked.
        names_of = _pages_of(name, max(1, -(-len(own_rows) // MAX_PAGE_ROWS)))
        for current, page in enumerate(names_of, 1):
            pages[page] = _document_page(document, own_rows, editing, own, names_of, current)
    return {"index.html": _index_page(order, by_doc, names), **pages}


def _index_page(order: list[Mapping[str, object]], by_doc: dict[str, list[_Row]], names: dict[str, str]) -> str:
    counts = Counter(f for rows in by_doc.values() for r in rows for f in r.flags)
    total = sum(len(rows) for rows in by_doc.values())
    flagged = sum(1 for rows in by_doc.values() for r in rows if r.flags)
    body = ["<h1>Indicator review</h1>\n",
            f'<p class="meta">{len(order):,} documents · {total:,} indicators · {flagged:,} flagged</p>\n']  # fmt: skip
    body += _legend(counts)
    body.append('<table>\n<thead><tr><th>doc</th><th>title</th><th>region</th><th>level</th>'
                '<th class="num">report year</th><th class="num">indicators</th><th class="num">flagged</th>'
                "<th>flags</th></tr></thead>\n<tbody>\n")  # fmt: skip
    for document in order:
        doc_id = str(document["doc_id"])
        rows = by_doc.get(doc_id, [])
        doc_flags = Counter(f for r in rows for f in r.flags)
        n_flagged = sum(1 for r in rows if r.flags)
        doc = _text(document.get("doc")) or doc_id
        summary = " ".join(f'<span class="flag">{f} {doc_flags[f]}</span>' for f in FLAG_IDS if doc_flags[f])
        body.append(
            ("<tr class=\"flagged\">" if n_flagged else "<tr>")
            + f'<td><a href="{escape(names[doc_id])}">{escape(doc)}</a></td>'
            + _cell(_text(document.get("title"))) + _cell(_text(document.get("region")))
            + _cell(_text(document.get("level"))) + _cell(_text(document.get("report_year")), "num")
            + f'<td class="num">{len(rows):,}</td><td class="num">{n_flagged:,}</td><td>{summary}</td></tr>\n'
        )  # fmt: skip
    body.append("</tbody>\n</table>\n")
    return _page("Indicator review", body)
