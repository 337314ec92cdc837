import os

from flask import Flask, jsonify, request, session

app = Flask(__name__)
app.secret_key = os.environ["SECRET_KEY"]
PRICES = {"mug": 1200, "shirt": 2500, "poster": 900}


@app.post("/cart/items/<sku>")
def set_quantity(sku):
    if sku not in PRICES:
        return jsonify(error="unknown item"), 404
    try:
        quantity = int(request.json["quantity"])
    except (KeyError, TypeError, ValueError):
        return jsonify(error="quantity must be an integer"), 400
    if not 1 <= quantity <= 99:
        return jsonify(error="quantity must be between 1 and 99"), 400
    cart = session.setdefault("cart", {})
    cart[sku] = quantity
    session.modified = True
    total = sum(PRICES[s] * q for s, q in cart.items())
    return jsonify(cart=cart, total_cents=total)
