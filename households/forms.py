"""Resident-facing forms: the household profile, the outreach choices and the password check before
deleting an account."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.models import District, Neighbourhood, User
from portal.place_fields import PlaceChoiceField

from .models import OUTREACH_WEEKLY_LIMIT_MAX, Consent, Gender, Household, HousingTenure, OutreachPreference
from .validation import household_problems

YES_NO_UNANSWERED = [("", _("Prefer not to answer")), ("true", _("Yes")), ("false", _("No"))]


class WonField(forms.IntegerField):
    """An amount in won that also accepts what people type: "2,100,000", "2100000원", "₩2,100,000"."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace(",", "").replace("원", "").replace("₩", "").strip()
        return super().to_python(value)


class HouseholdForm(forms.ModelForm):
    monthly_income = WonField(
        label=_("Monthly income (KRW)"),
        required=False,
        min_value=0,
        max_value=1_000_000_000,
        help_text=_("Before tax, in won, e.g. 2,100,000. Leave empty if you prefer not to say."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    district = PlaceChoiceField(
        label=_("District"),
        queryset=District.objects.all(),
        empty_label=_("Choose your district"),
    )
    neighbourhood = PlaceChoiceField(
        label=_("Neighbourhood (haengjeong-dong)"),
        queryset=Neighbourhood.objects.all(),
        required=False,
        empty_label=_("Choose your neighbourhood"),
    )
    consent_profile = forms.BooleanField(
        label=Consent.Purpose.PROFILE.label,
        required=False,
        help_text=_(
            "We use your profile only to show programs you may qualify for and to process your applications. "
            "Kept until you delete your account."
        ),
    )
    consent_sensitive = forms.BooleanField(
        label=Consent.Purpose.SENSITIVE.label,
        required=False,
        help_text=_("Optional. Needed only for programs that ask about these circumstances."),
    )

    class Meta:
        model = Household
        fields = (
            "name",
            "birth_date",
            "gender",
            "phone",
            "district",
            "neighbourhood",
            "address_detail",
            "housing_tenure",
            "household_size",
            "monthly_income",
            "employment",
            "income_support",
            "crime_victim",
            "single_parent",
            "disability",
            "notify_by_email",
            "notify_by_sms",
        )
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "birth_date": forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
            "gender": forms.RadioSelect,
            "phone": forms.TextInput(
                attrs={"autocomplete": "tel", "inputmode": "tel", "placeholder": "010-1234-5678"}
            ),
            "address_detail": forms.TextInput(attrs={"autocomplete": "street-address"}),
            "housing_tenure": forms.RadioSelect,
            "household_size": forms.NumberInput(attrs={"min": 1, "max": 10}),
        }

    def __init__(self, *args, given_consents: set[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.given_consents = given_consents or set()
        for name in ("crime_victim", "single_parent", "disability"):
            self.fields[name] = forms.NullBooleanField(
                label=Household._meta.get_field(name).verbose_name,
                required=False,
                widget=forms.RadioSelect(choices=YES_NO_UNANSWERED),
            )
        # Required radio groups offer only real answers (no pre-selected "---------").
        self.fields["gender"].choices = Gender.choices
        self.fields["housing_tenure"].choices = HousingTenure.choices
        for name in ("employment", "income_support"):
            self.fields[name].choices = [("", _("Prefer not to answer")), *self.fields[name].choices[1:]]
        # Consents already given are shown as given, not asked again.
        if Consent.Purpose.PROFILE in self.given_consents:
            self.fields["consent_profile"].initial = True
            self.fields["consent_profile"].disabled = True
        if Consent.Purpose.SENSITIVE in self.given_consents:
            self.fields["consent_sensitive"].initial = True
            self.fields["consent_sensitive"].disabled = True

    def ticked_consents(self) -> set[str]:
        ticked = set()
        if self.cleaned_data.get("consent_profile"):
            ticked.add(Consent.Purpose.PROFILE)
        if self.cleaned_data.get("consent_sensitive"):
            ticked.add(Consent.Purpose.SENSITIVE)
        return ticked

    def clean(self):
        cleaned = super().clean()
        if Consent.Purpose.PROFILE not in self.given_consents and not cleaned.get("consent_profile"):
            self.add_error(
                "consent_profile", _("We can keep your profile only with this consent. Tick it to continue.")
            )
        sensitive = Consent.Purpose.SENSITIVE in self.given_consents or bool(cleaned.get("consent_sensitive"))
        for field, messages in household_problems(cleaned, sensitive_consent=sensitive).items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)
        return cleaned


class PasswordConfirmForm(forms.Form):
    """Asks for the password again before an irreversible step such as deleting the account."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That password is not correct."))
        return password


class OutreachForm(forms.Form):
    """The resident's outreach choices: whether we write about programs they may qualify for, and how."""

    outreach = forms.ChoiceField(
        label=_("Should we tell you about programs you may qualify for?"),
        choices=[("yes", _("Yes, tell me")), ("no", _("No, thank you"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose yes or no.")},
    )
    by_email = forms.BooleanField(label=_("Also by email"), required=False)
    by_sms = forms.BooleanField(
        label=_("Also by text message"),
        required=False,
        help_text=_("Only to your verified mobile number, and never between 21:00 and 08:00."),
    )
    cadence = forms.ChoiceField(
        label=_("How often"),
        choices=OutreachPreference.Cadence.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    weekly_limit = forms.IntegerField(
        label=_("At most this many messages a week"),
        min_value=1,
        max_value=OUTREACH_WEEKLY_LIMIT_MAX,
        required=False,
        help_text=_("From 1 to %(max)d.") % {"max": OUTREACH_WEEKLY_LIMIT_MAX},
        widget=forms.NumberInput(attrs={"min": 1, "max": OUTREACH_WEEKLY_LIMIT_MAX, "inputmode": "numeric"}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outreach") == "yes":
            if not cleaned.get("cadence") and "cadence" not in self.errors:
                self.add_error("cadence", _("Choose how often we write: at once or once a week."))
            if cleaned.get("weekly_limit") is None and "weekly_limit" not in self.errors:
                self.add_error(
                    "weekly_limit",
                    _("Enter how many messages a week at most, from 1 to %(max)d.")
                    % {"max": OUTREACH_WEEKLY_LIMIT_MAX},
                )
        return cleaned
