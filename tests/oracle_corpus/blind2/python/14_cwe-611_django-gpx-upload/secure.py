import defusedxml.ElementTree as ET
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest, JsonResponse
from django.views.decorators.http import require_POST

from .models import Track, TrackPoint

GPX_NS = {"gpx": "http://www.topografix.com/GPX/1/1"}


@login_required
@require_POST
def upload_gpx(request):
    """Import a GPX 1.1 track uploaded in the request body and store its points."""
    try:
        root = ET.fromstring(request.body, forbid_dtd=False, forbid_entities=True)
    except Exception as exc:
        return HttpResponseBadRequest(f"invalid GPX: {exc}")

    name = root.findtext(".//gpx:trk/gpx:name", default="Untitled track", namespaces=GPX_NS)
    track = Track.objects.create(owner=request.user, name=name[:120])
    points = []
    for pt in root.findall(".//gpx:trkpt", GPX_NS):
        points.append(
            TrackPoint(
                track=track,
                lat=float(pt.get("lat")),
                lon=float(pt.get("lon")),
                elevation=float(pt.findtext("gpx:ele", default="0", namespaces=GPX_NS)),
            )
        )
    TrackPoint.objects.bulk_create(points)
    return JsonResponse({"id": track.pk, "name": track.name, "points": len(points)})
