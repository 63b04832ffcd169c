"""Segment stage: jieba tokens of each sentence, with offsets into the source text."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from transforms.records import Sentence, Token


class Tokenizer(Protocol):
    """What the stage needs of a `jieba.Tokenizer`: its `tokenize` method."""

    def tokenize(self, text: str, mode: str = "default", HMM: bool = True):  # noqa: N803 (jieba's name)
        ...


def segment_sentence(sentence: Sentence, tokenizer: Tokenizer) -> list[Token]:
    """The sentence's tokens; start/end index its cleaned text.

    HMM is off: its new-word discovery makes segmentation change with the dictionary
    version and splits no indicator name the user dictionary does not already keep whole.
    Part of speech is not tagged: jieba's tagger is ~8 times slower than its cutter and
    no stage uses it.
    """
    return [
        Token(text=word, pos=None, start=start, end=end)
        for word, start, end in tokenizer.tokenize(sentence.text, HMM=False)
    ]


def segment_sentences(sentences: Sequence[Sentence], tokenizer: Tokenizer) -> list[list[Token]]:
    """The tokens of each sentence, in order."""
    return [segment_sentence(s, tokenizer) for s in sentences]
