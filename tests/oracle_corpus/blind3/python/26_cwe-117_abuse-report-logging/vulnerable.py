import json
import logging

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest, JsonResponse
from django.views.decorators.http import require_POST

from .models import AbuseReport

logger = logging.getLogger("moderation")


@login_required
@require_POST
def report_abuse(request):
    try:
        data = json.loads(request.body)
    except json.JSONDecodeError:
        return HttpResponseBadRequest("invalid JSON")

    target = str(data.get("target", "")).strip()
    reason = str(data.get("reason", "")).strip()
    if not target or not reason:
        return HttpResponseBadRequest("target and reason are required")

    report = AbuseReport.objects.create(reporter=request.user, target=target, reason=reason)
    logger.warning("abuse report #%s by %s against %s: %s", report.pk, request.user.get_username(), target, reason)
    return JsonResponse({"id": report.pk}, status=201)
