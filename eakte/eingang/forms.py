from django import forms

from eakte.kommunen.models import Organisationseinheit

from .models import REGELFELDER, Ablage, Regel


class RegelForm(forms.ModelForm):
    oe = forms.ModelChoiceField(
        Organisationseinheit.objects.none(), label="federführende OE", required=False
    )
    verbundweit = forms.BooleanField(label="Vorgabe für den ganzen Verbund", required=False)

    class Meta:
        model = Regel
        fields = REGELFELDER
        widgets = {"ablage": forms.RadioSelect(choices=Ablage.choices)}

    def __init__(self, *args, einheiten, oes, vorlagen, darf_vorgabe: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vorlage"].queryset = vorlagen
        self.fields["vorlage"].empty_label = "– keinen Geschäftsgang starten –"
        self.fields["aktenplaneinheit"].queryset = einheiten
        self.fields["oe"].queryset = oes
        self.fields["oe"].required = False
        if not darf_vorgabe:
            del self.fields["verbundweit"]
