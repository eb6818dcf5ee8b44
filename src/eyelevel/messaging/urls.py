staff_patterns: tuple[list, str] = ([], "messaging")
portal_patterns: tuple[list, str] = ([], "messaging_portal")
public_patterns: tuple[list, str] = ([], "messaging_public")
