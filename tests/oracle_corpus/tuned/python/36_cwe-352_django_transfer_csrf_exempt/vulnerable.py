from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from wallets.models import Wallet


@csrf_exempt
@login_required
@require_POST
def transfer(request):
    amount = Decimal(request.POST["amount"])
    if amount <= 0:
        return JsonResponse({"error": "amount must be positive"}, status=400)
    with transaction.atomic():
        source = Wallet.objects.select_for_update().get(pk=request.POST["from"], owner=request.user)
        target = Wallet.objects.select_for_update().get(pk=request.POST["to"], owner=request.user)
        if source.balance < amount:
            return JsonResponse({"error": "insufficient funds"}, status=400)
        source.balance -= amount
        target.balance += amount
        source.save()
        target.save()
    return JsonResponse({"ok": True})
