from django.contrib.auth.decorators import login_required
from django.http import HttpResponse

from .models import Contact

HEADER = ["first_name", "last_name", "email", "phone", "notes"]


@login_required
def export_contacts(request):
    contacts = Contact.objects.filter(owner=request.user).order_by("last_name", "first_name")
    lines = [",".join(HEADER)]
    for c in contacts:
        lines.append(",".join([c.first_name, c.last_name, c.email, c.phone, c.notes]))
    response = HttpResponse("\r\n".join(lines) + "\r\n", content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="contacts.csv"'
    return response
