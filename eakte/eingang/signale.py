"""What the Antragseingang announces to the apps built on it.

`antrag_zugeordnet(vorgang=…, regel=…)`: sent after the commit of an accepted submission that
was filed into a Vorgang (not for one that went to the Posteingang). The Geschäftsgang connects
here to start the route template of the rule.
"""

from django.dispatch import Signal

antrag_zugeordnet = Signal()
