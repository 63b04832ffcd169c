"""Stateful things the stages need, built once per process: the tokenizer, the version."""

from __future__ import annotations

import functools
import hashlib
import logging
from pathlib import Path

import jieba

from transforms.codes import IndicatorCodes, parse_codes
from transforms.metadata import Places, parse_places
from transforms.vocabulary import Vocabulary, parse_vocabulary

PROJECT_DIR = Path(__file__).resolve().parent.parent
USER_DICTIONARY = PROJECT_DIR / "seeds" / "indicator_terms.dict"
INDICATOR_CODES = PROJECT_DIR / "seeds" / "indicator_codes.csv"
VOCABULARY = PROJECT_DIR / "seeds" / "vocabulary"
PLACES = PROJECT_DIR / "seeds" / "places.tsv"
CACHE_DIR = Path.home() / ".cache" / "govreport"


@functools.cache
def tokenizer() -> jieba.Tokenizer:
    """A jieba Tokenizer of its own (never jieba's global one) with the indicator terms."""
    logging.getLogger("jieba").setLevel(logging.WARNING)
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    instance = jieba.Tokenizer()
    instance.tmp_dir = str(CACHE_DIR)
    instance.initialize()
    if USER_DICTIONARY.exists():
        instance.load_userdict(str(USER_DICTIONARY))
    return instance


@functools.cache
def indicator_codes() -> IndicatorCodes:
    """The reviewed table of standard indicator codes."""
    return parse_codes(INDICATOR_CODES.read_text(encoding="utf-8"))


@functools.cache
def vocabulary() -> Vocabulary:
    """The extractor's word lists, one file each under seeds/vocabulary/."""
    return parse_vocabulary({path.stem: path.read_text(encoding="utf-8") for path in sorted(VOCABULARY.glob("*.tsv"))})


@functools.cache
def places() -> Places:
    """China's cities and counties, for a report that names its government only in passing."""
    return parse_places(PLACES.read_text(encoding="utf-8"))


@functools.cache
def pipeline_version() -> str:
    """A hash of the code, word lists and dictionaries that shape the output: a change reprocesses everything."""
    digest = hashlib.sha256()
    sources = [*sorted((PROJECT_DIR / "transforms").rglob("*.py")), *sorted(VOCABULARY.glob("*.tsv"))]
    for path in [*sources, USER_DICTIONARY, INDICATOR_CODES, PLACES]:
        digest.update(str(path.relative_to(PROJECT_DIR)).encode())
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()[:12]
