from flask import Flask, jsonify, request

app = Flask(__name__)


@app.post("/calc")
def calc():
    expr = request.json.get("expression", "")
    try:
        value = eval(expr, {"__builtins__": {}}, {})
    except (SyntaxError, ZeroDivisionError, TypeError):
        return jsonify(error="invalid expression"), 400
    return jsonify(result=value)
