"""Data generators for the benchmarks (and load tests): many Akten, Dokumente and German text.

They are Django management command classes kept outside the product's apps; run them with
`python bench/daten/akten_erzeugen.py --help` / `python bench/daten/suchdaten_erzeugen.py --help`
or in-process with `call_command(akten_erzeugen.Command(), ...)`.
"""

import os
import sys
from pathlib import Path


def als_skript(command_class) -> None:
    """Run a generator from the command line with the project's settings."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eakte.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command(command_class(), *sys.argv[1:])
