"""What the knowledge domain registers with core: navigation, dashboard figures, personal data."""


def register() -> None:
    """Nothing registered yet."""
