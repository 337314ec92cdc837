import yaml
from flask import Flask, jsonify, request

app = Flask(__name__)


@app.post("/pipelines")
def create_pipeline():
    spec = yaml.load(request.get_data(as_text=True), Loader=yaml.Loader)
    if not isinstance(spec, dict) or "stages" not in spec:
        return jsonify(error="pipeline needs stages"), 400
    stages = [stage["name"] for stage in spec["stages"]]
    return jsonify(name=spec.get("name", "unnamed"), stages=stages), 201
