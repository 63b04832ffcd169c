"""Remove the junk around and inside a report's text while keeping every character's source offset.

Cleaning only *removes* characters or *joins* lines; it never translates one
character into another. So for every character ``clean[i]`` that is not a
paragraph break, ``text[offsets[i]] == clean[i]``. The one exception is the
paragraph break itself: ``clean_text`` separates paragraphs with ``"\\n"`` and
maps it to the source position just after the previous paragraph (usually the
newline or space it replaces, sometimes a removed marker). Sentences never
contain these breaks.

The stages, each a regex over the whole text or a loop over lines (never a
Python loop over characters):

1. drop characters that are never content: zero-width characters, control
   characters, HTML comments, literal ``<U+00A0>`` strings left by a scraper,
   glossary note markers ``［28］``, newspaper continuation markers
   ``上接第1版>>>`` / ``（下转第二版）``;
2. cut the text into lines at newlines and at indents (two or more wide
   spaces: reports whose newlines were collapsed to spaces keep their
   ``\\u3000\\u3000`` paragraph indents), dropping other whitespace unless it
   separates two ASCII words;
3. drop site furniture lines (``下载`` ``打印`` ``【字号：``, ``来源：…``), the
   navigation before the title, and everything from the first tail marker
   (``相关报道：``, ``名词解释``, the Wikisource licence footer) to the end;
4. join lines split by layout (a line ending mid-sentence, then a blank line and
   its continuation) into paragraphs.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

# Sentence-ending and clause-ending punctuation: a line ending with one of these
# ends a paragraph; it was not broken by layout.
_PARAGRAPH_END = frozenset("。！？；：!?;:…")
# Closing quotes and brackets that may follow the final punctuation of a paragraph.
_CLOSERS = "”’」』）)》〉】]"
_CLOSING_QUOTES = frozenset("”’」』")
# A line starting with one of these continues the previous line (a wiki link or a
# layout break put the rest of the sentence on a new line).
_CONTINUATION_START = frozenset("，、。；：！？）》”’」』,;:!?)")

# Characters that are never content: zero-width (ZWSP, ZWNJ, ZWJ, word joiner,
# BOM used mid-text, soft hyphen) and control characters other than whitespace.
_INVISIBLE = r"[\u200b-\u200f\u2060\ufeff\u00ad\x00-\x08\x0e-\x1f\x7f]"
# A scraper wrote non-breaking spaces and joiners as literal "<U+00A0>" strings.
_LITERAL_CODEPOINT = r"<U\+[0-9A-Fa-f]{4,6}>"
_HTML_COMMENT = r"<!--.*?-->"
# Glossary note markers such as ［28］ point to the 名词解释 block we cut.
_NOTE_MARKER = r"［\d{1,3}］|〔\d{1,3}〕"
# Newspaper page continuation: 上接第1版>>>, 下转第3版>>>, (下转第二版). The bracket
# before it is taken by _page_mark_spans, so that the pattern starts with a word
# and the regex engine can skip ahead quickly.
_PAGE_MARK = (
    r"(?:上接|下转|接上|转下|转至)第?[0-9０-９一二三四五六七八九十〇]{1,3}版[）)]?"
    r"(?:[ \u3000]*(?:>{1,3}|》{1,3}|＞{1,3}))?"
)
# Footnote markers a page printed after a word: 五园共舞[1].
_FOOTNOTE = r"(?<=[\u4e00-\u9fff”」』）)])\[\d{1,2}\]"
# ";;" that a page printed in place of quotation marks (打好;;三大攻坚战;;): never content.
_DOUBLE_SEMICOLON = r";;"
# A clock time after a date (2019-05-06 09:12:30): when a page was posted, never a figure.
_TIMESTAMP = r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}[ T\u3000]{0,3}\d{1,2}:\d{2}(?::\d{2})?"
# Pinyin a page inserted after characters (發(fā)展, 總數(shù)): letters with a tone mark in brackets.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_PINYIN_GLOSS = rf"(?<=[\u4e00-\u9fff])[(（](?=[a-zü]*[{_TONED}])[a-zü{_TONED}]{{1,7}}[)）]"
# A bracket of a GBK page read one byte off: "。ㄒ唬┙" where "（一）" was (bopomofo and
# box-drawing characters are never in a report's prose), with the gloss of the character it ate.
_SHIFTED_BRACKET = rf"。?[\u3100-\u312f][\u4e00-\u9fff]?[\u2500-\u257f](?:[(（][a-zü{_TONED}]{{1,7}}[)）])?"
# A reporter's byline closing a news report: (記者 黃一鳴 實習生 韓雪遙), （本报记者 王某）.
_BYLINE = r"[(（](?:本报|本台|新华社|新華社)?(?:记者|記者|通讯员|通訊員)[^()（）\n。，]{1,30}[)）](?=[^\S\n]*(?:\n|$))"

# Separate passes, each starting with a literal or a small character set, are
# several times faster than one alternation.
_REMOVALS = (
    re.compile(f"{_HTML_COMMENT}|{_LITERAL_CODEPOINT}", re.DOTALL),
    # "人\n\u200b\n民": a zero-width space on a line of its own marks a word the
    # renderer broke; taking one newline with it leaves a single (soft) break.
    re.compile(r"\n[\u200b-\u200d\ufeff]+(?=[^\S\n]*\n)"),
    re.compile(_INVISIBLE),
    re.compile(_NOTE_MARKER),
    re.compile(_FOOTNOTE),
    re.compile(_DOUBLE_SEMICOLON),
    # A short line around a timestamp is a page's dateline: 公文搜 2021-07-23 10:26:26 政府报告.
    re.compile(rf"^[^\S\n]*[^\n]{{0,16}}{_TIMESTAMP}[^\n]{{0,16}}$", re.MULTILINE),
    re.compile(_TIMESTAMP),
    re.compile(_PINYIN_GLOSS),
    re.compile(_SHIFTED_BRACKET),
    re.compile(_BYLINE),
)
_PAGE_MARK_RE = re.compile(_PAGE_MARK)
_WHITESPACE = re.compile(r"\s+")
_WIDE_SPACES = re.compile(r"[^\x00-\x7f\xa0]")  # ideographic, em, en spaces: indents

# Lines that are page furniture wherever they appear.
_FURNITURE = re.compile(
    r"""(?x)
    (?:下载|打印|全屏|收藏|加大|还原|减小|字号|[【】\[\]>|×]|首页|分享|分享到微信
      |【?字[号体][:：]?(?:大\s*中\s*小)?】?|【?(?:打印|关闭)】?|【打印】【关闭】|打印本页|关闭窗口
      |扫一扫在手机打开当前页|分享(?:到)?[:：]|您?(?:当前|现在)?(?:所在)?(?:的)?位置[:：].{0,80}
      |(?:阅读量|阅读数|阅读|访问量|访问次数|浏览量|浏览次数|点击数|点击量|点击率|下载次数)[:：]?\s*\d{0,9}\s*次?
      |(?:关联稿件|相关稿件|附件)[:：]
      |(?:联系)?(?:电话|传真|手机|QQ|qq|微信|邮编|邮箱|E-?mail|Email)[:：]?\s*[\d\s()（）+\-－—,，、/a-zA-Z@.]{5,60}
      |(?:文件)?(?:格式|大小|页数|文件大小|文档格式|文档大小|字数)[:：]\s*[\w.\s]{0,20}
      |[\d.]+\s*(?:[KMG]B|[kmg]b|字节)|共\s*\d{1,4}\s*页|第\s*\d{1,4}\s*页(?:\s*[/／共]\s*\d{1,4}\s*页?)?
      |上一页|下一页|上一篇.{0,60}|下一篇.{0,60}|导航菜单|网站导航|站点导航|返回顶部|返回首页
      |(?:[^>＞»\s]{1,12}\s*[>＞»]\s*){2,}[^>＞»。，]{0,24}
      |.{0,16}\d{4}-\d{1,2}-\d{1,2}\s?\d{1,2}:\d{2}(?::\d{2})?.{0,16}
      |(?:来源|时间|发表时间|发布时间|发布日期|信息来源|文章来源|编辑|责任编辑|作者)[:：].{0,30}
      |(?:[^|｜\s]{1,10}\s*[|｜]\s*){2,}[^|｜。，]{0,10}
      |[（(](?:来源|编辑|责任编辑)[:：].{0,30}[）)]?
      |\d{4}[-/年]\d{1,2}[-/月]\d{1,2}日?\s*(?:\d{1,2}[:时]\d{1,2}分?(?::\d{1,2})?)?
      |[0-9a-f]{32}[:：]?
      |Public\ domain|false|true
      |＠.{0,30}
      |》》点击图片进入专题《《|相关附件>>|相关链接>>|【E-mail推荐.{0,10}
      |.{0,30}(?:www\.|https?://)[\w./?=&%-]*.{0,10}
    )
    """
)
# The first of these lines in the second half of a text starts the tail: related
# links, glossary, licence footer. Everything from it to the end goes.
_TAIL_START = re.compile(
    r"""(?x)
    (?:相关报道|相关文档|相关新闻|相关阅读|相关链接|相关附件)[:：>]*.{0,40}
    |扫一扫在手机打开当前页|【?打印本页】?|【?关闭窗口】?|【打印】.{0,10}|【E-mail推荐.{0,10}
    |(?:[【\[]?(?:打印本页|关闭窗口|打印|关闭|返回顶部)[】\]]?\s*){2,}
    |(?:上一篇|下一篇)[:：].{0,60}
    |(?:主办单位|主办|承办单位|版权所有|技术支持|网站标识码|网站地图)[:：\s|].{0,160}
    |(?:责任编辑|编辑)[:：].{0,20}|[（(]责任编辑[:：].{0,20}
    |本作品是中华人民共和国的.{0,40}|本作品在.{0,60}
    |(?:名词解释|注释|名词注释|注\s*释|附[:：]?名词解释)[:：]?
    |.{0,20}名词(?:注释|解释)[:：]?
    """
)
_CLAUSE = re.compile(r"[，。；,;]")
# A label whose value the page put on the next line: "来源：" then "四川日报".
_LABEL = re.compile(r"[（(]?(?:来源|时间|发表时间|发布时间|编辑|责任编辑|作者)[:：]")
_MAX_LABEL_VALUE = 16
# Photo captions: "…新华社记者庞兴雷摄".
_CAPTION = re.compile(r".{0,120}记者.{1,12}摄")
_CAPTION_WORD = re.compile("记者")
_CAPTION_END = re.compile(r"记者[^。\n]{1,16}摄[^\S\n]*$")
_MAX_CAPTION = 160

# A report's title: "2026年安徽省政府工作报告", "陕西省2026年政府工作报告", "政府工作报告（摘要）".
REPORT_TITLE = re.compile(
    r"《?((?:\d{4}年)?[\u4e00-\u9fff]{0,16}?(?:\d{4}年)?(?:人民)?政府工作[报報]告(?:[（(]摘要[）)])?)》?"
)
_MAX_HEAD_LINES = 30
_CRUMB_SEPARATORS = frozenset({">", "＞", "»", ">>"})
# The font-size menu "大 中 小", one a line: furniture only near the top, where a
# lone character cannot be the piece of a word broken by layout.
_HEAD_ONLY_FURNITURE = frozenset({"大", "中", "小"})
_MAX_CRUMB = 12

# Heading markers, used to keep a heading on its own line.
HEADING_1 = re.compile(r"(?:[一二三四五六七八九十]{1,3}、|第[一二三四五六七八九十]{1,3}(?:部分|章)\s*)")
HEADING_2 = re.compile(r"[（(][一二三四五六七八九十]{1,3}[）)]")
# A list item such as 1. / 1．/ （1）/ 一是 starts its own line.
_LIST_START = re.compile(
    r"(?:[0-9０-９]{1,2}[.．、](?![0-9０-９])|[（(][0-9０-９]{1,2}[）)]|[一二三四五六七八九十]{1,2}是|各位代表)"
)

_NUMERAL_CHARS = "一二三四五六七八九十"
_HEADING_FIRST = frozenset(_NUMERAL_CHARS + "第（(")
_SECTION_NUMERAL = re.compile(
    r"[一二三四五六七八九十]|十[一二三四五六七八九]|[二三四五六七八九]十[一二三四五六七八九]?"
)
# Characters a title, byline or heading never ends with: an opening bracket, or a
# preposition, particle or verb that needs its object on the next line.
_OPENERS = frozenset("《“‘「『（(【")
_FUNCTION_WORDS = frozenset("的在和与及对把将为是要从向以于了并而或由被使让给同跟")
_BARE_MARKER = re.compile(r"[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)]")
# A paragraph shorter than this without a clause mark (，、) is a title, byline or
# navigation line: the next line is joined to it only for the reasons in
# _should_join (an opener, a particle, a one- or two-character fragment...).
_MIN_JOIN_LEN = 20
_ONE_LINE_CHARS = 2000
# A text separates paragraphs by blank lines when at least this many of its line
# breaks, and this share of them, are blank lines.
_MIN_BLANK_LINES = 3
_BLANK_SHARE = 0.4
# A tail marker ("相关报道：", "名词解释") ends the body if it is in the second half of
# the text or in its last this many characters.
_TAIL_CHARS = 3000
# Exact repeats of a paragraph this long are a scraper's copies, not the author's.
_MIN_DUPLICATE_LEN = 50
_MAX_HEADING_LEN = 40
# A report's meeting line (——2025年1月14日…在…第七届人民代表大会第四次会议上的讲话) and speaker line.
_MEETING_LINE = re.compile(r"(?:会议|會議|大会|大會)(?:上|开幕|開幕|的(?:政府)?(?:工作)?(?:报告|報告|讲话))")
_MEETING_WHEN = re.compile(r"\d{4}年|[〇零○一二三四五六七八九]{4}年|[届屆]")
_SPEAKER_LINE = re.compile(
    r".{0,24}?(?:省长|市长|县长|区长|旗长|州长|盟长|主席|总理|省長|市長|縣長|區長|旗長|州長|盟長|總理)\s*[\u4e00-\u9fff·]{2,10}"
)
_MAX_SPEAKER_LINE = 36
_MAX_META_LINE = 160
_MIN_REPEATED_TITLE = 8


# Tokens an aggregator glues to its lines against copying ("各位代表:pbY", "Kq一年来"): a
# few ASCII letters, not an acronym, at the end or start of at least _MIN_JUNK_REPEATS lines.
_LINE_END_WORD = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2,5}(?=[^\S\n]*(?:\n|$))")
_LINE_START_WORD = re.compile(r"(?:^|(?<=\n))[^\S\n]*([A-Za-z]{2,5})(?=[^\x00-\x7f])")
_MIN_JUNK_REPEATS = 3


def junk_tokens(text: str) -> frozenset[str]:
    r"""The letter tokens a page glued to many line ends, which are never content.

    >>> sorted(junk_tokens("报告pbY\npbY\n各位代表:pbY\n增长5%。GDP\n指数GDP\n总值GDP\nKq一\nKq二\nKq三"))
    ['Kq', 'pbY']
    """
    counts = Counter(m.group() for m in _LINE_END_WORD.finditer(text))
    counts.update(m.group(1) for m in _LINE_START_WORD.finditer(text))
    return frozenset(t for t, n in counts.items() if n >= _MIN_JUNK_REPEATS and not t.isupper())


def junk_token_pattern(tokens: frozenset[str]) -> re.Pattern[str] | None:
    """A pattern for the tokens wherever they stand alone (not inside a longer ASCII word)."""
    if not tokens:
        return None
    alternatives = "|".join(sorted(map(re.escape, tokens), key=len, reverse=True))
    return re.compile(rf"(?<![A-Za-z])(?:{alternatives})(?![A-Za-z])")


@dataclass(frozen=True)
class Line:
    """A line of cleaned text and the source offset of each of its characters.

    `soft` marks a line after a single newline in a text whose paragraphs are
    separated by blank lines: Wikisource puts every link on a line of its own.
    """

    text: str
    offsets: tuple[int, ...]
    soft: bool = False


def _caption_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the photo caption lines ("…作政府工作报告。 本报记者 林 君摄")."""
    spans = []
    for match in _CAPTION_WORD.finditer(text):
        # Bounded searches: a caption is a short line, and a long line must not
        # cost a scan per "记者" in it.
        low = max(0, match.start() - _MAX_CAPTION)
        start = text.rfind("\n", low, match.start()) + 1
        end = text.find("\n", match.end(), match.end() + _MAX_CAPTION)
        if (start == 0 and low > 0) or (end < 0 and match.end() + _MAX_CAPTION < len(text)):
            continue
        end = len(text) if end < 0 else end
        if end - start <= _MAX_CAPTION and _CAPTION_END.search(text, match.start(), end):
            spans.append((start, end))
    return spans


def _page_mark_spans(text: str) -> list[tuple[int, int]]:
    """Spans of page continuation markers, with the opening bracket of "(下转第二版)"."""
    spans = []
    for match in _PAGE_MARK_RE.finditer(text):
        start = match.start()
        if start and text[start - 1] in "（(" and match.group().rstrip(">》＞ \u3000")[-1] in "）)":
            start -= 1
        spans.append((start, match.end()))
    return spans


def _remove_junk(text: str) -> tuple[str, list[int]]:
    """Text with invisible characters, markup comments, markers and captions removed, and source offsets."""
    spans = [m.span() for pattern in _REMOVALS for m in pattern.finditer(text)]
    junk = junk_token_pattern(junk_tokens(text))
    if junk is not None:
        spans += [m.span() for m in junk.finditer(text)]
    spans += _page_mark_spans(text)
    spans += _caption_spans(text)
    spans.sort()
    pieces: list[str] = []
    offsets: list[int] = []
    pos = 0
    for a, b in spans:
        if a > pos:
            pieces.append(text[pos:a])
            offsets.extend(range(pos, a))
        pos = max(pos, b)
    if pos < len(text):
        pieces.append(text[pos:])
        offsets.extend(range(pos, len(text)))
    return "".join(pieces), offsets


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _is_lone_digit(text: str, i: int) -> bool:
    """True when text[i] is a digit with no digit beside it: one of "1 9 9 3"."""
    return (
        text[i].isdigit()
        and (i == 0 or not text[i - 1].isdigit())
        and (i + 1 == len(text) or not text[i + 1].isdigit())
    )


def _is_one_line(text: str) -> bool:
    """True for a text whose newlines were collapsed to spaces (fewer than one per 2,000 characters)."""
    return text.count("\n") * _ONE_LINE_CHARS < len(text)


def _newlines(run: str) -> int:
    """Line breaks in a whitespace run; CRLF and the scraper's CR CR LF count once."""
    return run.count("\n") or run.count("\r") or run.count("\x0c") + run.count("\x0b")


def _split_lines(text: str, offsets: list[int]) -> list[Line]:
    """Lines of the text, cut at newlines and indents, with inner whitespace dropped."""
    lines: list[Line] = []
    pieces: list[tuple[int, int]] = []  # spans of `text` making up the current line
    pos = 0
    n = len(text)
    one_line = _is_one_line(text)
    runs = list(_WHITESPACE.finditer(text))
    breaks = [_newlines(m.group()) for m in runs]
    blank_lines = sum(1 for k in breaks if k >= 2)
    # Paragraphs separated by blank lines: a single newline is then layout.
    blank_separated = blank_lines >= _MIN_BLANK_LINES and blank_lines >= _BLANK_SHARE * sum(1 for k in breaks if k)
    soft = False

    def flush(next_soft: bool) -> None:
        nonlocal soft
        if pieces:
            line_text = "".join(text[a:b] for a, b in pieces)
            line_offsets: list[int] = []
            for a, b in pieces:
                line_offsets.extend(offsets[a:b])
            lines.append(Line(line_text, tuple(line_offsets), soft))
            pieces.clear()
            soft = next_soft
        else:
            soft = soft and next_soft

    for match, newlines in zip(runs, breaks, strict=True):
        a, b = match.span()
        if a > pos:
            pieces.append((pos, a))
        pos = b
        if a == 0 or b == n:
            continue
        run = match.group()
        before, after = text[a - 1], text[b]
        wide = len(_WIDE_SPACES.findall(run))
        if newlines:
            flush(blank_separated and newlines == 1 and wide < 2)
        elif wide >= 2 or before in _PARAGRAPH_END:
            # An indent, or a space after a sentence end: a paragraph break in a
            # text whose newlines were collapsed to spaces.
            flush(False)
        elif HEADING_1.match(text, b) or HEADING_2.match(text, b):
            flush(False)
        elif _is_word_char(before) and _is_word_char(after):
            # "GDP 增长" needs no space, but "Public domain" and "5 G" do: keep one
            # whitespace character between two ASCII words; but "1 9 9 3年" is a
            # typesetting of 1993 and loses its spaces.
            if not (len(run) == 1 and _is_lone_digit(text, a - 1) and _is_lone_digit(text, b)):
                pieces.append((a, a + 1))
        elif one_line and not before.isascii() and not after.isascii():
            # In a one-line text a space between Chinese words was a line break
            # ("上海市市长　应勇 各位代表："); joining decides whether it was layout.
            flush(False)
    if pos < n:
        pieces.append((pos, n))
    flush(False)
    return lines


def _is_furniture(line: str) -> bool:
    return _FURNITURE.fullmatch(line) is not None or _CAPTION.fullmatch(line) is not None


def is_heading_line(line: str) -> bool:
    """True for a short line starting with a section marker such as 一、 or （一）."""
    if len(line) > _MAX_HEADING_LEN or line[0] not in _HEADING_FIRST:
        return False
    if not (HEADING_1.match(line) or HEADING_2.match(line)):
        return False
    return not any(ch in "。！？；" for ch in line[:-1])


def _ends_paragraph(line: str) -> bool:
    stripped = line.rstrip(_CLOSERS)
    if not stripped:
        return True
    if stripped[-1] in _PARAGRAPH_END:
        return True
    # A quote or bracket closing a whole line ("……！”") also ends it; a quote
    # closing a word inside a sentence ("开通“灵锡”") does not.
    return False


def _should_join(first: str, last: str, length: int, clause: bool, following: Line) -> bool:
    """True when `following` continues the sentence a paragraph was cut in.

    The paragraph so far is described by its first and last lines, its length
    and whether it has a clause mark (，、): a title or a byline has none.
    """
    nxt = following.text
    if _ends_paragraph(last):
        return nxt[0] in _CLOSING_QUOTES  # "…方式。" + "”在中国，…": the quote closes the sentence
    if (
        nxt[0] in _CONTINUATION_START
        or last[-1] in _OPENERS
        or (last[-1].isascii() and last[-1].isalpha() and _is_word_char(nxt[0]))
    ):
        return True  # "…国务院《" + "关于…的决定" + "》，…" / "细颗粒物（PM" + "2.5"
    if is_heading_line(nxt) or is_numeral_line(nxt):
        return False
    if _BARE_MARKER.fullmatch(first) and length == len(first):
        return True  # "（一）" on a line of its own, its heading on the next
    if "会议上" in last or "會議上" in last:
        return False  # the dateline under the title: "——2021年3月5日在…会议上"
    if is_heading_line(first) or _LIST_START.match(nxt) or is_numeral_line(first):
        return False
    if is_title_line(last) or is_title_line(nxt):
        return False  # a page title stands alone, also in a text of blank-line paragraphs
    if following.soft or last[-1] in _FUNCTION_WORDS:
        # A single newline in a blank-line separated text (a link on its own
        # line), or a line ending in "一是" / "在" / "１９８５年的": no title or
        # byline ends so.
        return True
    if first.startswith(("——", "――", "—", "（", "(")):
        return length < _MIN_JOIN_LEN * 2  # a dateline broken in two
    if length >= _MIN_JOIN_LEN or clause:
        return True  # a sentence, not a title or byline, was cut
    return len(nxt) <= 2


_EDGE_BRACKETS = re.compile(r"^[(（【][^()（）【】]{1,12}[)）】]|[(（【][^()（）【】]{1,12}[)）】]$|[-—]*全文$")


def is_title_line(line: str) -> bool:
    """True for a report's title line, with a page's brackets: (河北省)2017年蠡县人民政府工作报告(全文).

    >>> is_title_line("(河北省)2017年蠡县人民政府工作报告(全文)"), is_title_line("向大会作政府工作报告")
    (True, False)
    """
    return REPORT_TITLE.fullmatch(_EDGE_BRACKETS.sub("", line)) is not None and not line.startswith(("向", "作"))


def _has_clause_mark(line: str) -> bool:
    return "，" in line or "," in line or "、" in line


def is_numeral_line(line: str) -> bool:
    """True for a line that is only a section number: "一", "十二" (old reports number sections so).

    >>> is_numeral_line("十二"), is_numeral_line("十三五")
    (True, False)
    """
    return len(line) <= 3 and _SECTION_NUMERAL.fullmatch(line) is not None


def is_meta_line(line: str) -> bool:
    """True for a line about the report rather than of it: its title, 来源, meeting line or speaker.

    >>> is_meta_line("——2025年1月14日海南省省长 刘小明在海南省第七届人民代表大会第四次会议上的讲话")
    True
    >>> is_meta_line("各位代表！让我们更加紧密地团结在以习近平同志为核心的党中央周围，奋力谱写新篇章！")
    False
    """
    if len(line) > _MAX_META_LINE:
        return False
    return (
        is_title_line(line)
        or _is_furniture(line)
        or (_MEETING_LINE.search(line) is not None and _MEETING_WHEN.search(line) is not None)
        or (len(line) <= _MAX_SPEAKER_LINE and _SPEAKER_LINE.fullmatch(line) is not None)
    )


def _drop_trailing_meta(lines: list[Line]) -> list[Line]:
    """Lines without the title, 来源 and meeting lines that a copy (a Word file) printed after the body."""
    end = len(lines)
    while end > 0 and is_meta_line(lines[end - 1].text):
        end -= 1
    if not any(len(line.text) > _MAX_HEADING_LEN for line in lines[:end]):
        return lines  # nothing but such lines: not a body with a trailer
    return lines[:end]


def _drop_repeated_head(lines: list[Line]) -> list[Line]:
    """Lines without an aggregator's repeats of its page title near the top.

    A page prints its title twice, and once more followed by the first lines of
    the report run together (a synopsis): a head line that starts with an
    earlier short line of _MIN_REPEATED_TITLE or more characters (or repeats it).
    """
    kept: list[Line] = []
    seen: list[str] = []
    for i, line in enumerate(lines):
        if i < _MAX_HEAD_LINES and any(line.text.startswith(t) for t in seen):
            continue
        if (
            i < _MAX_HEAD_LINES
            and _MIN_REPEATED_TITLE <= len(line.text) <= _MAX_HEADING_LEN
            and not _ends_paragraph(line.text)
        ):
            seen.append(line.text)
        kept.append(line)
    return kept


def _cut_head_and_tail(lines: list[Line], source_len: int) -> list[Line]:
    """Lines without the navigation before the title and the tail after the body."""
    # Tail: from the first tail marker in the second half or the last pages of the text.
    tail_start = min(source_len // 2, source_len - _TAIL_CHARS)
    for i, line in enumerate(lines):
        if line.offsets[0] >= tail_start and _TAIL_START.fullmatch(line.text):
            lines = lines[:i]
            break
    # Head: short navigation lines ("首页", "宁夏要闻") before the title line.
    for i, line in enumerate(lines[:_MAX_HEAD_LINES]):
        if REPORT_TITLE.fullmatch(line.text) or is_title_line(line.text):
            # Navigation: short lines, or lines of labels and menus with no clause in them.
            if all(len(x.text) < _MIN_JOIN_LEN or not _CLAUSE.search(x.text) for x in lines[:i]):
                lines = lines[i:]
            break
    lines = _drop_repeated_head(_drop_trailing_meta(lines))
    # Breadcrumbs: "首页 > 政务信息 > 宁夏要闻", one item a line.
    crumbs = {i + d for i, line in enumerate(lines) if line.text in _CRUMB_SEPARATORS for d in (-1, 1)}
    kept: list[Line] = []
    after_label = False
    for i, line in enumerate(lines):
        if i in crumbs and len(line.text) <= _MAX_CRUMB and not any(ch in "，。；" for ch in line.text):
            continue
        if _is_furniture(line.text) or (i < _MAX_HEAD_LINES and line.text in _HEAD_ONLY_FURNITURE):
            after_label = _LABEL.fullmatch(line.text) is not None
            continue
        if after_label and len(line.text) <= _MAX_LABEL_VALUE and not any(ch in "，。；" for ch in line.text):
            after_label = False  # the value of a "来源：" label on its own line: "四川日报"
            continue
        after_label = False
        kept.append(line)
    return kept


def clean_lines(text: str) -> list[Line]:
    """Paragraphs of cleaned text, each with the source offset of every character."""
    stripped, offsets = _remove_junk(text)
    lines = _cut_head_and_tail(_split_lines(stripped, offsets), len(text))
    paragraphs: list[Line] = []
    seen: set[str] = set()

    def flush(texts: list[str], offsets: list[int]) -> None:
        paragraph = "".join(texts)
        if len(paragraph) >= _MIN_DUPLICATE_LEN:
            if paragraph in seen:
                return  # a scraper's repeat of the whole report (corpus/alt/national_china_1989.txt)
            seen.add(paragraph)
        if _CAPTION.fullmatch(paragraph) is None:
            paragraphs.append(Line(paragraph, tuple(offsets)))

    texts: list[str] = []
    current_offsets: list[int] = []
    first = last = ""
    length = 0
    clause = False
    for line in lines:
        if texts and _should_join(first, last, length, clause, line):
            texts.append(line.text)
            current_offsets.extend(line.offsets)
            last = line.text
            length += len(line.text)
            clause = clause or _has_clause_mark(last)
            continue
        if texts:
            flush(texts, current_offsets)
        texts, current_offsets = [line.text], list(line.offsets)
        first = last = line.text
        length = len(line.text)
        clause = _has_clause_mark(last)
    if texts:
        flush(texts, current_offsets)
    return paragraphs


def clean_text(text: str) -> tuple[str, tuple[int, ...]]:
    r"""Cleaned text with paragraphs separated by "\n", and the source offset of each character.

    A "\n" maps to the source position just after its paragraph's last character.

    >>> clean_text("\u200b各位代表：\n\n上接第1版>>>市区完成四十五个重点道桥项目，开通\n\n“灵锡”平台。")[0]
    '各位代表：\n市区完成四十五个重点道桥项目，开通“灵锡”平台。'
    """
    pieces: list[str] = []
    offsets: list[int] = []
    for k, paragraph in enumerate(clean_lines(text)):
        if k:
            pieces.append("\n")
            offsets.append(min(offsets[-1] + 1, len(text) - 1))
        pieces.append(paragraph.text)
        offsets.extend(paragraph.offsets)
    return "".join(pieces), tuple(offsets)
