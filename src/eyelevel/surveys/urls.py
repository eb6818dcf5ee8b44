staff_patterns: tuple[list, str] = ([], "surveys")
portal_patterns: tuple[list, str] = ([], "surveys_portal")
public_patterns: tuple[list, str] = ([], "surveys_public")
