"""factory_boy factories for the models of all apps. Roles and OEs are passed as lists:

BenutzerFactory(kommune=erbach, rollen=[Rolle.SACHBEARBEITUNG], organisationseinheiten=[bauamt])
"""

import factory
from django.contrib.auth.models import Group

from eakte.kommunen.models import Benutzer, Kommune, Organisationseinheit, Verbund

PASSWORT = "Test-Passwort-2026"

# Fixed made-up names instead of random ones: tests look people up by fragments such as "Koch" or
# "Schäf", and a random "Carolina Neuschäfer" once made such a test fail in CI. None of these names
# holds a fragment a test searches for; 31 first and 29 last names (coprime) give 899 different
# full names in a row, so two people of one test never share a name.
VORNAMEN = (
    "Greta Henrik Ilse Jonas Karla Lorenz Marlene Nils Ottilie Piet Rieke Sönke Tilda Ulrich Vera "
    "Wendelin Xaver Yvonne Zora Amelie Bendix Cläre Detlef Edda Falk Gesine Hannes Inken Jost Kuno "
    "Liesel"
).split()
NACHNAMEN = (
    "Albers Brandt Claasen Dörr Eckhardt Fiedler Gerlach Hartwig Imhof Jessen Kühne Lüders "
    "Marquardt Nolte Oswald Pohl Quast Rademacher Seidel Thiele Ulbrich Vogt Wendt Zeidler Beck "
    "Dietz Franke Grote Hinz"
).split()


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
    first_name = factory.Sequence(lambda n: VORNAMEN[n % len(VORNAMEN)])
    last_name = factory.Sequence(lambda n: NACHNAMEN[n % len(NACHNAMEN)])
    password = factory.django.Password(PASSWORT)

    @factory.post_generation
    def rollen(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set(Group.objects.filter(name__in=[rolle.value for rolle in extracted]))

    @factory.post_generation
    def organisationseinheiten(self, create, extracted, **kwargs):
        if create and extracted:
            self.organisationseinheiten.set(extracted)
