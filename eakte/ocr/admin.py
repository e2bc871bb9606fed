from django.contrib import admin, messages
from django.utils.translation import ngettext

from . import services
from .models import Verarbeitung


@admin.register(Verarbeitung)
class VerarbeitungAdmin(admin.ModelAdmin):
    """For operators: what is stuck or failed, and requeueing failed ones in bulk."""

    list_display = [
        "datei",
        "kommune",
        "status",
        "verfahren",
        "seiten",
        "versuche",
        "eingereiht_am",
    ]
    list_filter = ["status", "dauerhaft", "verfahren", "kommune"]
    search_fields = ["datei__sha256", "meldung"]
    readonly_fields = [f.name for f in Verarbeitung._meta.fields]
    actions = ["erneut_einreihen"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Fehlgeschlagene erneut in die Warteschlange stellen")
    def erneut_einreihen(self, request, queryset):
        anzahl = services.fehlgeschlagene_erneut_einreihen(queryset)
        self.message_user(
            request,
            ngettext(
                "%(n)d Verarbeitung erneut eingereiht.",
                "%(n)d Verarbeitungen erneut eingereiht.",
                anzahl,
            )
            % {"n": anzahl},
            messages.SUCCESS,
        )
