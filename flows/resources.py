"""Stateful things the stages need, built once per process: the tokenizer, the version."""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import tempfile
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
# Where jieba keeps its prefix dictionary cache (1 s saved per process): the folder a user names,
# else the data folder's `.cache` (the pipeline sets RUN_CACHE_VARIABLE for its workers), else
# the temp folder, as jieba does. Never the home folder: nothing is written outside the data
# folder, and a read-only HOME must work.
CACHE_VARIABLE = "GOVREPORT_CACHE_DIR"
RUN_CACHE_VARIABLE = "GOVREPORT_RUN_CACHE_DIR"


def cache_dir() -> Path:
    """The folder for jieba's cache (see CACHE_VARIABLE)."""
    named = os.environ.get(CACHE_VARIABLE) or os.environ.get(RUN_CACHE_VARIABLE)
    return Path(named) if named else Path(tempfile.gettempdir())


def use_data_dir_cache(data_dir: Path) -> None:
    """Make this process and the workers it starts cache in `data_dir`/.cache (unless the user named one)."""
    os.environ[RUN_CACHE_VARIABLE] = str((data_dir / ".cache").absolute())


@functools.cache
def tokenizer() -> jieba.Tokenizer:
    """A jieba Tokenizer of its own (never jieba's global one) with the indicator terms."""
    logging.getLogger("jieba").setLevel(logging.WARNING)
    instance = jieba.Tokenizer()
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        instance.tmp_dir = str(folder)
    except OSError:
        instance.tmp_dir = tempfile.gettempdir()  # an unwritable cache costs a second, not the run
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
