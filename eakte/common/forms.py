from django.core.exceptions import ValidationError


def fehler_ins_formular(form, fehler: ValidationError) -> None:
    """Show a service's German ValidationError at the form's fields (or above the form)."""
    if hasattr(fehler, "error_dict"):
        for feld, meldungen in fehler.message_dict.items():
            form.add_error(feld if feld in form.fields else None, meldungen)
    else:
        form.add_error(None, fehler.messages)
