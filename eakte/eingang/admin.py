"""For technical operators (superusers; see kommunen/admin.py): the inbound channels, their
last errors, and the delivery log. Secrets are never shown (stored encrypted, not editable)."""

from django.contrib import admin

from .models import Antrag, Mail, Plattform, Postfach, Regel, Rueckmeldung, Zulassung, Zustellpunkt


@admin.register(Plattform)
class PlattformAdmin(admin.ModelAdmin):
    list_display = ["name", "kennung", "verbund", "webhook_url", "aktiv"]


@admin.register(Zulassung)
class ZulassungAdmin(admin.ModelAdmin):
    list_display = ["plattform", "kommune", "konto"]
    list_select_related = ["plattform", "kommune", "konto"]

    def get_queryset(self, request):
        return Zulassung.alle.all()


@admin.register(Regel)
class RegelAdmin(admin.ModelAdmin):
    list_display = ["leistung", "bezeichnung", "kommune", "verbund", "aktenplaneinheit", "ablage"]


class _NurLesen(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Antrag)
class AntragAdmin(_NurLesen):
    list_display = ["referenz", "plattform", "kommune", "leistung", "status", "eingegangen_am"]
    list_filter = ["status", "plattform"]

    def get_queryset(self, request):
        return Antrag.alle.select_related("plattform", "kommune")


@admin.register(Rueckmeldung)
class RueckmeldungAdmin(_NurLesen):
    list_display = ["antrag", "ereignis", "status", "versuche", "letzter_fehler"]
    list_filter = ["status", "ereignis"]

    def get_queryset(self, request):
        return Rueckmeldung.alle.select_related("antrag")


@admin.register(Postfach)
class PostfachAdmin(admin.ModelAdmin):
    list_display = ["name", "kommune", "host", "port", "aktiv", "letzter_abruf", "letzter_fehler"]
    exclude = ["passwort"]

    def get_queryset(self, request):
        return Postfach.alle.select_related("kommune")


@admin.register(Mail)
class MailAdmin(_NurLesen):
    list_display = ["betreff", "absender", "postfach", "eingegangen_am"]

    def get_queryset(self, request):
        return Mail.alle.select_related("postfach")


@admin.register(Zustellpunkt)
class ZustellpunktAdmin(admin.ModelAdmin):
    list_display = ["destination_id", "kommune", "plattform", "aktiv", "letzter_abruf"]
    exclude = ["client_secret", "entschluesselungsschluessel", "signaturschluessel"]

    def get_queryset(self, request):
        return Zustellpunkt.alle.select_related("kommune", "plattform")
