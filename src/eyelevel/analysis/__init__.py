"""Text and recommendation models: pure functions over shipped artefacts, no web code, no domain imports."""
