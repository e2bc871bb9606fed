"""What the Geschäftsgang announces to the apps built on it.

akteur, version (the frozen akten.Version), person (the signer): sent inside the Schlusszeichnung
when the signer chose "elektronisch signieren"; a receiver signs and returns the Vermerk text
("elektronisch signiert von … am …") or raises ValidationError (rolls the Schlusszeichnung back).
"""

from django.dispatch import Signal

schlussgezeichnet = Signal()
