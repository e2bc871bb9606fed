"""The Django admin is for technical operators (superusers) only.

Clerks and the Kommunen-Admins work in the application's own pages, which are tenant-scoped;
the admin site is not, so it is closed to everybody else.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Benutzer, Kommune, Organisationseinheit, Verbund

admin.site.site_header = "eAkte – technische Administration"
admin.site.has_permission = lambda request: bool(
    request.user.is_active and request.user.is_superuser
)


@admin.register(Verbund)
class VerbundAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]


@admin.register(Kommune)
class KommuneAdmin(admin.ModelAdmin):
    list_display = ["name", "verbund", "ags", "aktenzeichen_praefix", "aktiv"]
    list_filter = ["verbund", "aktiv"]


@admin.register(Organisationseinheit)
class OrganisationseinheitAdmin(admin.ModelAdmin):
    list_display = ["name", "kuerzel", "kommune", "parent", "aktiv"]
    list_filter = ["kommune"]
    list_select_related = ["kommune", "parent"]


@admin.register(Benutzer)
class BenutzerAdmin(UserAdmin):
    list_display = ["username", "last_name", "first_name", "kommune", "is_active"]
    list_filter = ["kommune", "is_active", "groups"]
    list_select_related = ["kommune"]
    fieldsets = UserAdmin.fieldsets + (
        ("Kommune", {"fields": ["kommune", "organisationseinheiten"]}),
    )
    add_fieldsets = UserAdmin.add_fieldsets + ((None, {"fields": ["kommune", "email"]}),)
