import re

from flask import Flask, jsonify, request

app = Flask(__name__)
ARITHMETIC = re.compile(r"[0-9+\-*/(). ]{1,64}")


@app.post("/calc")
def calc():
    expr = request.json.get("expression", "")
    if not ARITHMETIC.fullmatch(expr):
        return jsonify(error="only numbers and + - * / ( ) are allowed"), 400
    try:
        value = eval(expr, {"__builtins__": {}}, {})
    except (SyntaxError, ZeroDivisionError, TypeError):
        return jsonify(error="invalid expression"), 400
    return jsonify(result=value)
