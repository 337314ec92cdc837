import base64
import pickle

from flask import Flask, jsonify, make_response, request

app = Flask(__name__)


def load_cart() -> dict:
    raw = request.cookies.get("cart")
    if not raw:
        return {}
    return pickle.loads(base64.b64decode(raw))


@app.post("/cart/<sku>")
def add_to_cart(sku):
    cart = load_cart()
    cart[sku] = cart.get(sku, 0) + 1
    resp = make_response(jsonify(cart))
    resp.set_cookie("cart", base64.b64encode(pickle.dumps(cart)).decode())
    return resp
