"""The project's own labelled examples (German and English) behind the shipped default models.

Written for eyelevel and released with it under the project's licence; no third-party data. Phrases per
aspect and polarity are combined with openers and closers into varied, realistic feedback texts.
Aspect names follow GermEval 2017's coarse categories (railway feedback), plus general service ones.
"""

import random

# aspect -> polarity -> (German phrases, English phrases)
PHRASES: dict[str, dict[str, tuple[list[str], list[str]]]] = {
    "Zugfahrt": {
        "negative": (["der Zug hatte wieder 40 Minuten Verspätung", "mein Anschluss ist weg, weil der ICE zu spät kam",
                      "der Zug fiel ersatzlos aus", "wir standen eine Stunde auf freier Strecke",
                      "die S-Bahn kommt jeden Morgen zu spät"],
                     ["the train was 40 minutes late again", "I missed my connection because the train was late",
                      "the train was cancelled without replacement", "we were stuck for an hour outside the station",
                      "the commuter train is late every single morning"]),
        "positive": (["der Zug war pünktlich auf die Minute", "die Fahrt war schnell und ruhig",
                      "trotz Sturm kamen wir pünktlich an"],
                     ["the train was right on time", "the journey was quick and smooth",
                      "despite the storm we arrived on schedule"]),
        "neutral": (["der Zug fährt ab morgen zehn Minuten früher", "die Strecke wird im Sommer gesperrt"],
                    ["the train leaves ten minutes earlier from tomorrow", "the line will be closed in summer"]),
    },
    "Sonstige_Unregelmässigkeiten": {
        "negative": (["wegen einer Signalstörung ging nichts mehr", "Weichenstörung, alles steht",
                      "der Zug endete unerwartet in Fulda", "Personen im Gleis, wieder stundenlang Stillstand"],
                     ["a signal failure stopped everything", "points failure, nothing is moving",
                      "the train terminated unexpectedly halfway", "people on the track, hours of standstill again"]),
        "neutral": (["es gibt eine Störung im Betriebsablauf", "Umleitung wegen Bauarbeiten"],
                    ["there is an operational disruption", "diversion because of engineering works"]),
    },
    "Atmosphäre": {
        "negative": (["im Wagen war es laut und es stank", "die Leute haben die ganze Zeit gebrüllt",
                      "es war unangenehm eng und stickig"],
                     ["the carriage was noisy and smelled awful", "people were shouting the whole way",
                      "it was unpleasantly cramped and stuffy"]),
        "positive": (["die Stimmung im Zug war entspannt", "es war angenehm ruhig im Ruhebereich"],
                     ["the atmosphere on board was relaxed", "the quiet zone was pleasantly quiet"]),
    },
    "Sicherheit": {
        "negative": (["ich wurde im Zug belästigt und niemand half", "am Bahnhof fühle ich mich nachts nicht sicher",
                      "ein Betrunkener hat Fahrgäste bedroht"],
                     ["I was harassed on the train and nobody helped", "I do not feel safe at the station at night",
                      "a drunk man threatened passengers"]),
        "positive": (["das Sicherheitspersonal war sofort da", "ich fühle mich dank der Streife sicher"],
                     ["security staff arrived immediately", "I feel safe thanks to the patrols"]),
    },
    "Ticketkauf": {
        "negative": (["der Automat nimmt keine Karten an", "das Ticket war viel zu teuer",
                      "der Sparpreis war nach einer Minute weg", "am Schalter eine halbe Stunde Schlange"],
                     ["the ticket machine does not take cards", "the ticket was far too expensive",
                      "the saver fare was gone within a minute", "half an hour queue at the ticket office"]),
        "positive": (["der Ticketkauf ging schnell und einfach", "der Sparpreis war wirklich günstig"],
                     ["buying the ticket was quick and easy", "the saver fare was really cheap"]),
        "neutral": (["ab Januar steigen die Ticketpreise", "wo kann ich ein Ländleticket kaufen?"],
                    ["ticket prices go up in January", "where can I buy a regional day ticket?"]),
    },
    "Service_und_Kundenbetreuung": {
        "negative": (["die Hotline hat mich dreimal abgewimmelt", "der Schaffner war unfreundlich",
                      "auf meine Beschwerde kam nie eine Antwort", "die Erstattung dauert schon drei Monate"],
                     ["the hotline fobbed me off three times", "the conductor was rude",
                      "my complaint never got an answer", "the refund has taken three months already"]),
        "positive": (["die Zugbegleiterin war super freundlich und hilfsbereit", "der Service hat sofort geholfen",
                      "danke an das nette Team im Reisezentrum"],
                     ["the conductor was really friendly and helpful", "customer service helped straight away",
                      "thanks to the kind team at the travel centre"]),
    },
    "Informationen": {
        "negative": (["es gab keine Durchsage, warum wir stehen", "die Anzeige zeigte falsche Gleise",
                      "die Info zur Verspätung kam erst nach einer Stunde"],
                     ["there was no announcement why we stopped", "the display showed the wrong platform",
                      "information about the delay came only after an hour"]),
        "positive": (["die Durchsagen waren klar und rechtzeitig", "gut informiert über den Ersatzverkehr"],
                     ["the announcements were clear and timely", "well informed about the replacement buses"]),
    },
    "Auslastung_und_Platzangebot": {
        "negative": (["der Zug war völlig überfüllt", "trotz Reservierung kein Sitzplatz",
                      "nur ein halber Zug, alle mussten stehen"],
                     ["the train was completely overcrowded", "no seat despite my reservation",
                      "only half a train, everyone had to stand"]),
        "positive": (["es gab genug freie Plätze", "endlich mal ein leerer Zug"],
                     ["there were plenty of free seats", "finally an empty train"]),
    },
    "Connectivity": {
        "negative": (["das WLAN im ICE funktioniert mal wieder nicht", "kein Netz auf der ganzen Strecke"],
                     ["the wifi on the train is not working again", "no mobile signal along the whole route"]),
        "positive": (["das WLAN war schnell genug für Videocalls", "endlich stabiles Internet im Zug"],
                     ["the wifi was fast enough for video calls", "finally stable internet on the train"]),
    },
    "DB_App_und_Website": {
        "negative": (["die App stürzt beim Buchen ständig ab", "die Website zeigt keine Verbindungen an",
                      "das Handyticket lässt sich in der App nicht öffnen"],
                     ["the app keeps crashing when I book", "the website shows no connections",
                      "the mobile ticket will not open in the app"]),
        "positive": (["die neue App ist übersichtlich", "die Echtzeitinfo in der App ist sehr hilfreich"],
                     ["the new app is clear and easy", "the live updates in the app are really helpful"]),
    },
    "Komfort_und_Ausstattung": {
        "negative": (["die Klimaanlage war ausgefallen, 35 Grad im Wagen", "die Sitze sind durchgesessen",
                      "keine Steckdose am Platz"],
                     ["the air conditioning had failed, 35 degrees inside", "the seats are worn out",
                      "no power socket at the seat"]),
        "positive": (["die neuen Sitze sind bequem", "die Klimaanlage lief angenehm"],
                     ["the new seats are comfortable", "the air conditioning worked nicely"]),
    },
    "Barrierefreiheit": {
        "negative": (["der Aufzug am Bahnhof ist seit Wochen kaputt", "mit dem Rollstuhl kam ich nicht in den Zug",
                      "keine Rampe, obwohl angemeldet"],
                     ["the lift at the station has been broken for weeks", "I could not board with my wheelchair",
                      "no ramp although I had booked assistance"]),
        "positive": (["die Mobilitätshilfe hat mich pünktlich abgeholt", "der Einstieg war stufenlos"],
                     ["the assistance team met me on time", "step-free boarding worked well"]),
    },
    "Toiletten": {
        "negative": (["die Toilette war verstopft und dreckig", "alle Toiletten im Zug waren gesperrt"],
                     ["the toilet was blocked and filthy", "every toilet on the train was closed"]),
        "positive": (["die Toiletten waren sauber", "saubere WCs im ganzen Zug"],
                     ["the toilets were clean", "clean toilets throughout the train"]),
    },
    "Gastronomisches_Angebot": {
        "negative": (["das Bordbistro hatte geschlossen", "der Kaffee im Bordrestaurant war kalt und teuer"],
                     ["the café car was closed", "the coffee in the restaurant car was cold and expensive"]),
        "positive": (["das Essen im Bordrestaurant war lecker", "netter Service im Bordbistro"],
                     ["the food in the restaurant car was tasty", "friendly service in the café car"]),
    },
    "Gepäck": {
        "negative": (["kein Platz für Koffer im ganzen Wagen", "mein Gepäck wurde am Bahnhof gestohlen"],
                     ["no room for suitcases in the whole carriage", "my luggage was stolen at the station"]),
    },
    "Reisen_mit_Kindern": {
        "negative": (["im Familienbereich war kein Platz für den Kinderwagen", "mit Kindern ist das Umsteigen eine Qual"],
                     ["no space for the pushchair in the family area", "changing trains with kids is a nightmare"]),
        "positive": (["das Kinderabteil war toll für unsere Kleinen"], ["the family compartment was great for our kids"]),
    },
    "Allgemein": {
        "negative": (["die Bahn wird jedes Jahr schlechter", "nie wieder Bahn", "ich bin von der Bahn enttäuscht"],
                     ["the railway gets worse every year", "never taking the train again",
                      "I am disappointed with the railway"]),
        "positive": (["ich fahre gern mit der Bahn", "insgesamt eine gute Reise", "weiter so, Bahn"],
                     ["I enjoy travelling by train", "overall a good trip", "keep it up"]),
        "neutral": (["die Bahn plant neue Strecken im Norden", "ich fahre morgen mit der Bahn nach Hamburg",
                     "der Bahnvorstand stellt heute die Bilanz vor", "die Bahn investiert 2 Milliarden in Bahnhöfe",
                     "der neue Fahrplan gilt ab Sonntag", "die Gewerkschaft verhandelt mit der Bahn über Löhne",
                     "wann fährt morgen früh der erste Zug nach Köln?", "weiß jemand, ob der RE heute fährt?",
                     "die Bahn stellt 300 neue Mitarbeiter ein", "der Aufsichtsrat tagt am Mittwoch in Berlin",
                     "Bauarbeiten zwischen Fulda und Kassel bis Ende Mai", "ich sitze gerade im Zug nach Leipzig",
                     "die Strecke München–Berlin wird elektronisch gesteuert", "Pressemitteilung: neue Züge für die S-Bahn",
                     "der Bahnhof wird bis 2027 umgebaut", "heute Abend Bericht über die Bahn im Fernsehen"],
                    ["the railway plans new lines in the north", "I am taking the train to Hamburg tomorrow",
                     "the railway board presents its annual results today", "the railway invests 2 billion in stations",
                     "the new timetable starts on Sunday", "the union is negotiating wages with the railway",
                     "when does the first train to Cologne leave tomorrow?", "does anyone know if the regional train runs today?",
                     "the railway is hiring 300 new staff", "engineering works between the two cities until May",
                     "I am on the train to Leipzig right now", "press release: new trains for the suburban line"]),
    },
}

OPENERS = {
    "de": {"negative": ["Ehrlich gesagt: ", "Leider ", "Schon wieder: ", "Ärgerlich, ", ""],
           "positive": ["Ein großes Lob: ", "Toll, ", "Kurzes Feedback: ", ""],
           "neutral": ["Info: ", "Kurze Frage bzw. Hinweis: ", ""]},
    "en": {"negative": ["Honestly, ", "Unfortunately ", "Once again ", "Annoying: ", ""],
           "positive": ["Big praise: ", "Great, ", "Quick feedback: ", ""],
           "neutral": ["FYI: ", "Just a note: ", ""]},
}
CLOSERS = {
    "de": {"negative": [".", "!", ". Das ist inakzeptabel.", ". Bitte ändern Sie das.", "..."],
           "positive": [".", "!", ". Danke!", ". Weiter so."], "neutral": [".", "", ". Gut zu wissen."]},
    "en": {"negative": [".", "!", ". This is unacceptable.", ". Please fix this.", "..."],
           "positive": [".", "!", ". Thank you!", ". Keep it up."], "neutral": [".", "", ". Good to know."]},
}
# Plain statements about the railway (news, announcements, questions, where-am-I): neutral, aspect "Allgemein".
NEUTRAL_STATEMENTS = {
    "de": ["Die Bahn erhöht im Dezember die Preise im Fernverkehr um durchschnittlich 1,9 Prozent",
           "Bahnchef stellt neue Strategie für den Güterverkehr vor",
           "Neue ICE-Strecke zwischen Erfurt und Leipzig wird eröffnet",
           "Zwischen Hannover und Göttingen fahren am Wochenende Busse statt Züge",
           "Die Bahn testet in Hamburg selbstfahrende Busse",
           "Bund und Bahn einigen sich auf Finanzierung für Schienennetz",
           "Bin gleich in Frankfurt, steige dann in die S-Bahn um",
           "Sitze im ICE und lese Zeitung",
           "Kann man im Regionalexpress ein Fahrrad mitnehmen?",
           "Gilt das Deutschlandticket auch in der S-Bahn?",
           "Welcher Bahnsteig ist für den Zug nach Dresden?",
           "Die Bahn sucht Lokführer für die Region Stuttgart",
           "Streik bei der Bahn: Gewerkschaft kündigt Warnstreik für Montag an",
           "Fahrgastverband fordert mehr Investitionen in die Schiene",
           "Die Bahn veröffentlicht ihre Pünktlichkeitsstatistik für Oktober",
           "Heute startet der Vorverkauf für den Winterfahrplan",
           "Unterwegs mit der Bahn nach Rostock",
           "Morgen geht es mit dem Zug in den Urlaub",
           "Bericht: Die Bahn will bis 2030 mehr Strecken elektrifizieren",
           "Die Deutsche Bahn AG hat ihren Sitz in Berlin"],
    "en": ["The railway raises long-distance fares by 1.9 percent on average in December",
           "Railway chief presents a new freight strategy",
           "Buses replace trains between the two cities this weekend",
           "On my way to Frankfurt, changing to the suburban train there",
           "Can I take a bicycle on the regional express?",
           "Which platform does the train to Dresden leave from?",
           "Union announces a warning strike at the railway for Monday",
           "The railway publishes its punctuality figures for October",
           "Heading to the coast by train tomorrow",
           "Report: the railway wants to electrify more lines by 2030"],
}

# Texts without any aspect: greetings, tests, unrelated remarks.
NO_ASPECT = {
    "de": ["Hallo", "Test", "Guten Morgen zusammen", "Wie wird das Wetter am Wochenende?",
           "Mein Hund hat heute Geburtstag", "Wer spielt heute Abend im Fernsehen?", "asdf", "ok"],
    "en": ["Hello", "test", "Good morning everyone", "What's the weather like this weekend?",
           "My dog has his birthday today", "Who is playing on TV tonight?", "qwerty", "ok"],
}


def _sentence(rng: random.Random, language: str, polarity: str, phrase: str) -> str:
    text = rng.choice(OPENERS[language][polarity]) + phrase + rng.choice(CLOSERS[language][polarity])
    return text[0].upper() + text[1:]


def seed_rows(seed: int = 2026, variants: int = 3) -> list[tuple[str, str, str, str]]:
    """(id, text, sentiment, aspects) rows in the TSV layout of `eyelevel feedback train`."""
    rng = random.Random(seed)
    rows: list[tuple[str, str, str, str]] = []
    singles: list[tuple[str, str, str, str]] = []  # language, aspect, polarity, phrase
    for aspect, polarities in PHRASES.items():
        for polarity, (german, english) in polarities.items():
            singles += [("de", aspect, polarity, phrase) for phrase in german]
            singles += [("en", aspect, polarity, phrase) for phrase in english]
    for language, aspect, polarity, phrase in singles:
        for _ in range(variants):
            rows.append((f"seed-{len(rows)}", _sentence(rng, language, polarity, phrase), polarity,
                         f"{aspect}:{polarity}"))
    # Two aspects in one text, the document sentiment following the first (the one written first).
    for _ in range(len(singles)):
        first, second = rng.sample(singles, 2)
        if first[0] != second[0] or first[1] == second[1]:
            continue
        joiner = {"de": " und außerdem ", "en": " and also "}[first[0]]
        text = _sentence(rng, first[0], first[2], first[3] + joiner + second[3])
        sentiment = first[2] if first[2] == second[2] or "neutral" in (first[2], second[2]) else "negative"
        if "neutral" in (first[2], second[2]) and first[2] != second[2]:
            sentiment = first[2] if first[2] != "neutral" else second[2]
        rows.append((f"seed-{len(rows)}", text, sentiment, f"{first[1]}:{first[2]};{second[1]}:{second[2]}"))
    for texts in NEUTRAL_STATEMENTS.values():
        rows.extend((f"seed-{len(rows) + i}", text, "neutral", "Allgemein:neutral") for i, text in enumerate(texts))
    for texts in NO_ASPECT.values():
        rows.extend((f"seed-{len(rows) + i}", text, "neutral", "") for i, text in enumerate(texts))
    return rows
