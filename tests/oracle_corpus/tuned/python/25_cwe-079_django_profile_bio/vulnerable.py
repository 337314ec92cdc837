from django.contrib.auth.models import User
from django.shortcuts import get_object_or_404, render
from django.utils.html import escape
from django.utils.safestring import mark_safe


def profile(request, username):
    user = get_object_or_404(User, username=username)
    bio = user.profile.bio or ""
    bio_html = mark_safe(bio.replace("\n", "<br>"))
    return render(request, "accounts/profile.html", {"profile_user": user, "bio_html": bio_html})
