import hashlib
import hmac
import json
import logging

from django.conf import settings
from django.http import HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .tasks import handle_push_event

logger = logging.getLogger(__name__)


@csrf_exempt
@require_POST
def github_webhook(request):
    """Receive GitHub push webhooks signed with the shared webhook secret."""
    received = request.headers.get("X-Hub-Signature-256", "")
    digest = hmac.new(
        settings.GITHUB_WEBHOOK_SECRET.encode("utf-8"), request.body, hashlib.sha256
    ).hexdigest()
    expected = f"sha256={digest}"
    if received != expected:
        logger.warning("rejected webhook with bad signature from %s", request.META.get("REMOTE_ADDR"))
        return HttpResponseForbidden("bad signature")

    event = request.headers.get("X-GitHub-Event", "")
    if event == "ping":
        return HttpResponse("pong")
    if event == "push":
        payload = json.loads(request.body)
        handle_push_event.delay(payload["repository"]["full_name"], payload["ref"], payload["after"])
    return HttpResponse(status=204)
