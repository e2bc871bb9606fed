"""OCRmyPDF plugin: report "page n of m" of the OCR step to whoever is listening.

OCRmyPDF keeps its progress bar in the main thread of the calling process; each Celery worker
child runs one document at a time, so a module-level listener is enough.
"""

from collections.abc import Callable

from ocrmypdf import hookimpl

melden: Callable[[int, int], None] | None = None


class Fortschrittsanzeige:
    def __init__(self, *, total=None, desc=None, unit=None, disable=False, **kwargs):
        self.gesamt = total
        self.ist_ocr = desc == "OCR" and unit == "page"
        self.erledigt = 0.0

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        return False

    def update(self, n=1, *, completed=None):
        self.erledigt = completed if completed is not None else self.erledigt + n
        if self.ist_ocr and melden is not None and self.gesamt:
            melden(int(self.erledigt), int(self.gesamt))


@hookimpl
def get_progressbar_class():
    return Fortschrittsanzeige
