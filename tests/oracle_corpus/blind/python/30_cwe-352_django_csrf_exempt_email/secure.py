from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST


@csrf_protect
@login_required
@require_POST
def change_email(request):
    email = request.POST.get("email", "").strip()
    try:
        validate_email(email)
    except ValidationError:
        return HttpResponseBadRequest("invalid email address")
    request.user.email = email
    request.user.save(update_fields=["email"])
    return redirect("account-settings")
