from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods


@require_http_methods(["GET", "POST"])
def logout_view(request):
    next_url = request.POST.get("next") or request.GET.get("next")
    logout(request)
    messages.info(request, "You have been signed out.")

    if next_url:
        return redirect(next_url)
    return redirect(getattr(settings, "LOGOUT_REDIRECT_URL", None) or "/")
