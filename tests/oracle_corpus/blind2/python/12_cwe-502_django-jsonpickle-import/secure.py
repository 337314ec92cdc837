import json
from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest, JsonResponse
from django.views.decorators.http import require_POST

from .models import Project


@dataclass
class ProjectSettings:
    name: str
    visibility: str = "private"
    default_branch: str = "main"
    labels: list = field(default_factory=list)


def parse_settings(raw):
    data = json.loads(raw)
    if not isinstance(data, dict):
        raise ValueError("settings must be an object")
    return ProjectSettings(
        name=str(data["name"]),
        visibility=str(data.get("visibility", "private")),
        default_branch=str(data.get("default_branch", "main")),
        labels=[str(label) for label in data.get("labels", [])],
    )


@login_required
@require_POST
def import_project_settings(request):
    """Create a project from a settings file previously exported with the
    'Export settings' button (uploaded as the `settings` file field)."""
    upload = request.FILES.get("settings")
    if upload is None or upload.size > 256 * 1024:
        return HttpResponseBadRequest("missing or oversized settings file")
    try:
        settings = parse_settings(upload.read().decode("utf-8"))
    except (ValueError, KeyError, TypeError) as exc:
        return HttpResponseBadRequest(f"invalid settings file: {exc}")
    project = Project.objects.create(
        owner=request.user,
        name=settings.name,
        visibility=settings.visibility,
        default_branch=settings.default_branch,
    )
    project.set_labels(settings.labels)
    return JsonResponse({"id": project.pk, "name": project.name}, status=201)
