staff_patterns: tuple[list, str] = ([], "offers")
portal_patterns: tuple[list, str] = ([], "offers_portal")
public_patterns: tuple[list, str] = ([], "offers_public")
