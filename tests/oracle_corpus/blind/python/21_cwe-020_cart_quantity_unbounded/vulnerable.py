from flask import Flask, abort, jsonify, request, session

from shop.catalog import get_product

app = Flask(__name__)


@app.route("/cart/add", methods=["POST"])
def add_to_cart():
    product = get_product(request.form.get("product_id", ""))
    if product is None:
        abort(404)
    try:
        quantity = int(request.form.get("quantity", "1"))
    except ValueError:
        abort(400, "quantity must be a number")
    cart = session.setdefault("cart", {})
    cart[str(product.id)] = cart.get(str(product.id), 0) + quantity
    session.modified = True
    total = sum(get_product(pid).price_cents * qty for pid, qty in cart.items())
    return jsonify({"cart": cart, "total_cents": total})
