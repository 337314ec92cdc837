import csv

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse

from .models import Contact

HEADER = ["first_name", "last_name", "email", "phone", "notes"]


def _cell(value):
    value = value or ""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@login_required
def export_contacts(request):
    contacts = Contact.objects.filter(owner=request.user).order_by("last_name", "first_name")
    response = HttpResponse(content_type="text/csv")
    writer = csv.writer(response)
    writer.writerow(HEADER)
    for c in contacts:
        writer.writerow([_cell(v) for v in (c.first_name, c.last_name, c.email, c.phone, c.notes)])
    response["Content-Disposition"] = 'attachment; filename="contacts.csv"'
    return response
