staff_patterns: tuple[list, str] = ([], "feedback")
portal_patterns: tuple[list, str] = ([], "feedback_portal")
public_patterns: tuple[list, str] = ([], "feedback_public")
