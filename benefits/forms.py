"""The resident's forms: the bank account for payments, a reimbursement claim with its receipt, and the
re-verification of circumstances. Services decide; the forms read and check the input's shape."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.datefields import SupportedDateField
from portal.identifiers import refuse_identifiers
from programs.answers import ALLOWED_UPLOAD_TYPES

from .services import BANKS

ACCEPT = ",".join(sorted(ALLOWED_UPLOAD_TYPES))


class BankAccountForm(forms.Form):
    bank_code = forms.ChoiceField(label=_("Bank"), choices=[("", _("Choose a bank")), *BANKS.items()])
    number = forms.CharField(
        label=_("Account number"),
        max_length=30,
        help_text=_("Digits only or with hyphens. Used only to pay your benefits."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    holder = forms.CharField(
        label=_("Account holder"),
        max_length=40,
        validators=[refuse_identifiers],
        help_text=_("The name on the account, as the bank has it."),
    )


class ClaimForm(forms.Form):
    issuer = forms.CharField(
        label=_("Issued by"),
        max_length=80,
        validators=[refuse_identifiers],
        help_text=_("e.g. 주택도시보증공사(HUG), 한국주택금융공사(HF), SGI서울보증"),
    )
    receipt_number = forms.CharField(
        label=_("Receipt or policy number"), max_length=40, validators=[refuse_identifiers]
    )
    receipt_date = SupportedDateField(
        label=_("Date on the receipt"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    receipt_amount = forms.IntegerField(
        label=_("Amount paid (won)"),
        min_value=1,
        max_value=10**12,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    receipt = forms.FileField(
        label=_("Receipt"),
        help_text=_("A photo or PDF of the receipt (at most 10 MB)."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    def clean_receipt_date(self):
        day = self.cleaned_data["receipt_date"]
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("The receipt date cannot be in the future."))
        return day


class ReverificationForm(forms.Form):
    changed = forms.TypedChoiceField(
        label=_("Have your circumstances changed since the last period?"),
        choices=[("no", _("No, nothing has changed")), ("yes", _("Yes, something has changed"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    changes = forms.CharField(
        label=_("What changed?"),
        required=False,
        max_length=2000,
        validators=[refuse_identifiers],
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("e.g. a new job, moving house, someone moving in. Update your profile too."),
    )
    document = forms.FileField(
        label=_("Document"), required=False, widget=forms.ClearableFileInput(attrs={"accept": ACCEPT})
    )

    def __init__(self, *args, document_required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].required = document_required
