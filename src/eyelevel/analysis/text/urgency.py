"""Urgency from what the text says: danger and harm first, then hard deadlines, then anger.

A transparent rule set rather than a trained model: staff must be able to read why an item is urgent,
and there is no redistributable labelled urgency data to learn from.
"""

import re

LEVELS = ("low", "normal", "high", "critical")

_CRITICAL = re.compile(
    r"\b(notfall|notarzt|verletz\w*|unfall|gefahr\w*|gefährlich\w*|lebensgefahr|feuer|brand|rauch|"
    r"belästig\w*|bedroh\w*|angegriffen|übergriff\w*|polizei|bewusstlos|"
    r"emergency|injur\w*|accident|danger\w*|unsafe|fire|smoke|harass\w*|threat\w*|assault\w*|police|"
    r"unconscious|bleeding|blutet)\b",
    re.I,
)
_HIGH = re.compile(
    r"\b(dringend\w*|sofort|umgehend|heute noch|frist\w*|anwalt|klage|verbraucherzentrale|kündig\w*|"
    r"rückerstattung|erstattung|doppelt abgebucht|abgebucht|betrug|"
    r"urgent\w*|immediately|asap|right now|deadline|lawyer|sue|legal action|"
    r"cancel (my|the|our) (contract|subscription|account)|refund\w*|"
    r"charged twice|fraud|scam)\b",
    re.I,
)
_ANGER = re.compile(r"(!{2,}|\b(unverschämt|frechheit|katastroph\w*|skandal\w*|outrageous|unacceptable|"
                    r"disgrace\w*|furious|worst)\b)", re.I)


def detect_urgency(text: str, sentiment: str = "") -> str:
    """One of LEVELS for the text, given its sentiment where known."""
    if _CRITICAL.search(text):
        return "critical"
    if _HIGH.search(text):
        return "high"
    if sentiment == "negative":
        return "high" if _ANGER.search(text) else "normal"
    if sentiment == "positive":
        return "low"
    return "normal"


def urgency_reason(text: str) -> str:
    """The words that made the text urgent ('' when none did)."""
    found = [m.group(0) for pattern in (_CRITICAL, _HIGH, _ANGER) for m in pattern.finditer(text)]
    return ", ".join(dict.fromkeys(found))
