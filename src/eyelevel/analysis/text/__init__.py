"""Text analysis for feedback: language, sentiment, aspects, urgency, and the contempt check for notes.

Pure functions over artefacts in `eyelevel/analysis/artefacts/`; nothing is downloaded at run time.
"""
