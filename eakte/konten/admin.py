from django.contrib import admin
from rest_framework.authtoken.admin import TokenProxy

from .models import ApiSchluessel

# API keys are ApiSchluessel (hashed); DRF's plain-text tokens are not used (migration 0002).
admin.site.unregister(TokenProxy)


@admin.register(ApiSchluessel)
class ApiSchluesselAdmin(admin.ModelAdmin):
    list_display = ("benutzer", "angelegt_am", "zuletzt_benutzt_am")
    readonly_fields = ("benutzer", "hash", "angelegt_am", "zuletzt_benutzt_am")
    search_fields = ("benutzer__username",)

    def has_add_permission(self, request):
        return False  # made by the person on "Mein Konto" (shown once)
