"""The named rules of the OCR pipeline (loaded by OcrConfig.ready)."""

import rules

from eakte.common.regeln import darf


@rules.predicate
def schreibt_in_akte_der_version(user, version) -> bool:
    return version is not None and darf(user, "akten.schreiben", version.dokument.akte)


# "Erneut versuchen" after a failure: whoever may write the Akte of the Version
rules.add_rule("ocr.erneut_versuchen", schreibt_in_akte_der_version)
