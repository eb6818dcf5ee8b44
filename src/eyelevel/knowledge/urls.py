staff_patterns: tuple[list, str] = ([], "knowledge")
portal_patterns: tuple[list, str] = ([], "knowledge_portal")
public_patterns: tuple[list, str] = ([], "knowledge_public")
