"""The segment stage with the project's own jieba Tokenizer and user dictionary."""

from __future__ import annotations

import jieba

from flows.resources import tokenizer
from transforms.records import Sentence
from transforms.segment import segment_sentences

TEXT = "规模以上工业增加值增长8%，城镇新增就业13.5万人，PM2.5平均浓度33微克/立方米。"


def _sentence(text: str) -> Sentence:
    return Sentence("d", 0, "", text, tuple(range(len(text))))


def test_words_join_back_into_the_sentence() -> None:
    (words,) = segment_sentences([_sentence(TEXT)], tokenizer())
    assert "".join(words) == TEXT


def test_the_user_dictionary_keeps_indicator_names_whole() -> None:
    (words,) = segment_sentences([_sentence(TEXT)], tokenizer())
    assert "规模以上工业增加值" in words
    assert "城镇新增就业" in words


def test_the_global_tokenizer_is_left_alone() -> None:
    tokenizer()
    assert tokenizer() is not jieba.dt
    assert "规模以上工业增加值" not in jieba.dt.FREQ
