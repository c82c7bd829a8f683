"""The resident's side of cash benefits: "My benefits" (payments, claims, the masked bank account),
the bank account form, a reimbursement claim with its receipt, and the re-verification form.

Every rule lives in benefits.services; a refusal (a DomainError) becomes a form error next to its field,
the form keeping what was typed, never a 500. Someone else's row is "not found".
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from households.selectors import household_for
from portal.errors import DomainError
from programs.models import Application, ApplicationStatus

from .forms import BankAccountForm, ClaimForm, ReverificationForm
from .models import Award, BankAccount, BenefitKind, Reverification
from .selectors import awarded_applications, own_reverification
from .services import award_for, bank_account_save, claim_submit, reverification_answer


def _household(request: HttpRequest):
    household = household_for(request.user)
    if household is None:
        raise Http404
    return household


def _apply_error(form, error: DomainError) -> None:
    fields = error.by_field() or {None: [error.message]}
    for name, problems in fields.items():
        for problem in problems:
            form.add_error(name if name in form.fields else None, problem)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    household = household_for(request.user)
    applications = list(awarded_applications(household)) if household else []
    account = BankAccount.objects.filter(household=household).first() if household else None
    return render(
        request,
        "benefits/home.html",
        {"applications": applications, "account": account, "household": household},
    )


@login_required
def bank_account(request: HttpRequest) -> HttpResponse:
    household = _household(request)
    current = BankAccount.objects.filter(household=household).first()
    form = BankAccountForm(request.POST or None, initial={"bank_code": current.bank_code if current else ""})
    if request.method == "POST" and form.is_valid():
        try:
            bank_account_save(user=request.user, request=request, **form.cleaned_data)
        except DomainError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("Your bank account for benefit payments is saved."))
            return redirect("benefits:home")
    return render(request, "benefits/bank_account.html", {"form": form, "current": current})


@login_required
def claim(request: HttpRequest, application_pk: int) -> HttpResponse:
    household = _household(request)
    application = (
        Application.objects.select_related("program__benefit_terms")
        .filter(
            pk=application_pk,
            household=household,
            status__in=(ApplicationStatus.APPROVED, ApplicationStatus.COMPLETED),
            program__benefit_terms__kind=BenefitKind.REIMBURSEMENT,
        )
        .first()
    )
    if application is None:
        raise Http404
    terms = application.program.benefit_terms
    form = ClaimForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            award: Award = award_for(application)
            claim_submit(
                user=request.user,
                award=award,
                issuer=data["issuer"],
                receipt_number=data["receipt_number"],
                receipt_date=data["receipt_date"],
                receipt_amount=data["receipt_amount"],
                upload=data["receipt"],
                request=request,
            )
        except DomainError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("Your claim is sent. The district checks the receipt and tells you."))
            return redirect("benefits:home")
    return render(request, "benefits/claim.html", {"form": form, "application": application, "terms": terms})


@login_required
def reverify(request: HttpRequest, pk: int) -> HttpResponse:
    household = _household(request)
    try:
        row = own_reverification(household, pk)
    except Reverification.DoesNotExist as exc:
        raise Http404 from exc
    terms = row.award.terms
    form = ReverificationForm(
        request.POST or None, request.FILES or None, document_required=terms.reverify_documents
    )
    if request.method == "POST" and form.is_valid():
        try:
            reverification_answer(
                user=request.user,
                reverification=row,
                changed=form.cleaned_data["changed"],
                changes=form.cleaned_data["changes"],
                document=form.cleaned_data["document"],
                request=request,
            )
        except DomainError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("Thank you: your answer is recorded."))
            return redirect("benefits:home")
    return render(request, "benefits/reverify.html", {"form": form, "row": row, "terms": terms})
