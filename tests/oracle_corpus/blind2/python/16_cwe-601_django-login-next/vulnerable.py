from django.conf import settings
from django.contrib.auth import authenticate, login
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods


@require_http_methods(["GET", "POST"])
def login_view(request):
    next_url = request.POST.get("next") or request.GET.get("next") or settings.LOGIN_REDIRECT_URL
    if request.method == "GET":
        return render(request, "accounts/login.html", {"next": next_url})

    user = authenticate(
        request,
        username=request.POST.get("username", ""),
        password=request.POST.get("password", ""),
    )
    if user is None:
        return render(
            request,
            "accounts/login.html",
            {"next": next_url, "error": "Invalid username or password."},
            status=401,
        )
    login(request, user)
    return redirect(next_url)
