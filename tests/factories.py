"""factory_boy factories for the models of all apps. Roles and OEs are passed as lists:

BenutzerFactory(kommune=erbach, rollen=[Rolle.SACHBEARBEITUNG], organisationseinheiten=[bauamt])
"""

import factory
from django.contrib.auth.models import Group

from eakte.kommunen.models import Benutzer, Kommune, Organisationseinheit, Verbund

PASSWORT = "Test-Passwort-2026"


class VerbundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Verbund
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"IKZ Testverbund {n}")
    slug = factory.Sequence(lambda n: f"testverbund-{n}")


class KommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Kommune

    verbund = factory.SubFactory(VerbundFactory)
    name = factory.Sequence(lambda n: f"Testgemeinde {n}")
    slug = factory.Sequence(lambda n: f"testgemeinde-{n}")
    ags = factory.Sequence(lambda n: f"0643{n:04d}")
    aktenzeichen_praefix = factory.Sequence(lambda n: f"T{n:02d}")


class OrganisationseinheitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisationseinheit

    kommune = factory.SubFactory(KommuneFactory)
    name = factory.Sequence(lambda n: f"Amt {n}")
    kuerzel = factory.Sequence(lambda n: f"A{n}")


class BenutzerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Benutzer
        skip_postgeneration_save = True

    kommune = factory.SubFactory(KommuneFactory)
    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@test.invalid")
    first_name = factory.Faker("first_name", locale="de_DE")
    last_name = factory.Faker("last_name", locale="de_DE")
    password = factory.django.Password(PASSWORT)

    @factory.post_generation
    def rollen(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set(Group.objects.filter(name__in=[rolle.value for rolle in extracted]))

    @factory.post_generation
    def organisationseinheiten(self, create, extracted, **kwargs):
        if create and extracted:
            self.organisationseinheiten.set(extracted)
