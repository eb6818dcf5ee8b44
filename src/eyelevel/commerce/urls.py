staff_patterns: tuple[list, str] = ([], "commerce")
portal_patterns: tuple[list, str] = ([], "commerce_portal")
public_patterns: tuple[list, str] = ([], "commerce_public")
