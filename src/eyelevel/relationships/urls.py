staff_patterns: tuple[list, str] = ([], "relationships")
portal_patterns: tuple[list, str] = ([], "relationships_portal")
public_patterns: tuple[list, str] = ([], "relationships_public")
