"""Contemptuous or derogatory talk about customers in internal notes (German and English).

Each pattern carries a neutral suggestion, so the author sees what to write instead.
"""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class ContemptFinding:
    phrase: str
    suggestion: str


_PEOPLE = r"(kunde|kundin|kunden|typ|tante|alte|alter|frau|mann|customer|client|guy|lady|woman|man|person|user)"
_RULES: list[tuple[str, str]] = [
    # German
    (r"\b(idiot\w*|depp\w*|trottel\w*|vollpfosten|vollidiot\w*|blödmann|dummkopf|schwachkopf|honk|"
     r"spast\w*|wichser|arschloch|penner|assi\w*|nervensäge|nervtöter)\b",
     "Beschreiben Sie das Anliegen, nicht die Person: z. B. „Kunde ist verärgert über …“."),
    (r"\b(querulant\w*|nörgler\w*|meckerer|meckertante|motzer\w*|jammerlappen|heulsuse|zicke|"
     r"karen|stänkerer)\b",
     "Nennen Sie die Beschwerde sachlich: z. B. „Kundin beschwert sich wiederholt über …“."),
    (r"\b(zu dumm|zu blöd|dumm\w*|blöd\w*|bescheuert\w*|beschränkt\w*|unfähig\w*|hirnlos\w*|"
     r"geistig umnachtet)\s+" + _PEOPLE + r"\b",
     "Schreiben Sie, was fehlte (Information, Hilfe), statt die Person abzuwerten."),
    (r"\b(der|die|dieser|diese)\s+" + _PEOPLE + r"\s+(ist|war)\s+(so\s+)?(dumm|blöd|bescheuert|nervig|lästig|"
     r"peinlich|unerträglich|irre|verrückt)\b",
     "Beschreiben Sie das Verhalten und den nächsten Schritt, z. B. „Kunde hat dreimal angerufen; Rückruf vereinbart“."),
    (r"\b(soll sich nicht so anstellen|hat keine ahnung|kapiert (es )?nicht|selbst schuld|"
     r"nicht unser problem|ignorier\w* (den|die) (einfach|mal))\b",
     "Halten Sie fest, was der Kunde braucht und was wir tun können."),
    # English
    (r"\b(idiot\w*|moron\w*|imbecile\w*|cretin\w*|dumbass|jerk|loser|lunatic|psycho|nutjob|nutcase|"
     r"retard\w*|scum|asshole|bitch)\b",
     "Describe the issue, not the person: e.g. “Customer is upset about …”."),
    (r"\b(whiner\w*|whinger\w*|complainer\w*|crybaby|karen|troublemaker\w*|time[- ]waster\w*|"
     r"pain in the (neck|ass|butt))\b",
     "State the complaint factually: e.g. “Customer has complained repeatedly about …”."),
    (r"\b(stupid|dumb|clueless|brainless|thick|dense|pathetic|useless|hopeless|crazy|insane)\s+" + _PEOPLE,
     "Write what was missing (information, help) instead of judging the person."),
    (r"\b(the|this|that)\s+" + _PEOPLE + r"\s+(is|was)\s+(so\s+|an?\s+)?(stupid|dumb|annoying|clueless|"
     r"pathetic|crazy|insane|unbearable|idiot)\b",
     "Describe the behaviour and the next step, e.g. “Customer called three times; callback arranged”."),
    (r"\b(has no clue|doesn'?t get it|can'?t read|their own fault|not our problem|just ignore (him|her|them))\b",
     "Note what the customer needs and what we can do."),
]
_COMPILED = [(re.compile(pattern, re.I), suggestion) for pattern, suggestion in _RULES]


def check_note(text: str) -> list[ContemptFinding]:
    """Every contemptuous phrase in the note, each with a suggestion (empty when the note is fine)."""
    findings: list[ContemptFinding] = []
    seen: set[str] = set()
    for pattern, suggestion in _COMPILED:
        for match in pattern.finditer(text):
            phrase = match.group(0).strip()
            if phrase.lower() not in seen:
                seen.add(phrase.lower())
                findings.append(ContemptFinding(phrase, suggestion))
    return findings
