"""The personal details sign-up asks besides the log-in details (accounts.forms.PersonalDetailsForm)."""

PERSONAL = {
    "first_name": "Anneke",
    "last_name": "de Vries",
    "street": "Dorpsstraat 1",
    "postal_code": "3441 EM",
    "town": "Woerden",
    "country": "NL",
}


def fill_personal(page) -> None:
    """Fill the sign-up page's personal details in a Playwright page."""
    for name, value in PERSONAL.items():
        if name == "country":
            page.select_option("#id_country", value)
        else:
            page.fill(f"#id_{name}", value)
