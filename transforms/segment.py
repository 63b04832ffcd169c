"""Segment stage: the jieba words of each sentence."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from transforms.records import Sentence


class Tokenizer(Protocol):
    """What the stage needs of a `jieba.Tokenizer`: its `lcut` method."""

    def lcut(self, sentence: str, cut_all: bool = False, HMM: bool = True) -> list[str]:  # noqa: N803 (jieba's name)
        ...


def segment_sentence(sentence: Sentence, tokenizer: Tokenizer) -> list[str]:
    """The sentence's words, in order; joined they give back its text, so offsets follow from lengths.

    HMM is off: its new-word discovery makes segmentation change with the dictionary
    version and splits no indicator name the user dictionary does not already keep whole.
    Part of speech is not tagged: jieba's tagger is ~8 times slower than its cutter and
    no stage uses it. Words are plain strings, not records: a batch holds millions.
    """
    return tokenizer.lcut(sentence.text, HMM=False)


def segment_sentences(sentences: Sequence[Sentence], tokenizer: Tokenizer) -> list[list[str]]:
    """The words of each sentence, in order."""
    return [segment_sentence(s, tokenizer) for s in sentences]
