"""German or English, from function words and letters; short texts fall back to the stronger hint."""

import re

_WORD = re.compile(r"[a-zäöüß]+")
_GERMAN = frozenset(
    ["der", "die", "das", "und", "ist", "nicht", "ich", "ein", "eine", "zu", "mit", "auf", "für", "von", "den", "im", "dem", "des", "sich", "es", "wir", "sie", "bei", "auch", "aber", "noch", "nur", "wie", "wenn", "schon", "sehr", "war", "hat", "haben", "kein", "keine", "mir", "mich", "mein", "meine", "bitte", "danke", "zug", "bahn", "heute", "immer", "wieder", "warum", "wurde", "wird", "sind", "oder", "nach", "über"]
)
_ENGLISH = frozenset(
    ["the", "and", "is", "not", "i", "a", "to", "with", "on", "for", "of", "in", "it", "we", "you", "they", "at", "also", "but", "still", "only", "how", "if", "already", "very", "was", "has", "have", "no", "my", "me", "please", "thanks", "thank", "train", "today", "always", "again", "why", "were", "will", "are", "or", "after", "about", "this", "that", "there", "be", "so"]
)


def detect_language(text: str) -> str:
    """'de' or 'en' for the text ('' when it has no words)."""
    words = _WORD.findall(text.lower())
    if not words:
        return ""
    german = sum(word in _GERMAN for word in words) + 2 * sum(ch in "äöüß" for ch in text.lower())
    english = sum(word in _ENGLISH for word in words)
    return "en" if english > german else "de"
