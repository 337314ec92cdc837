from flask import Flask, abort, jsonify, request
from lxml import etree

app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = 2 * 1024 * 1024
SVG_NS = "{http://www.w3.org/2000/svg}"


@app.route("/svg/info", methods=["POST"])
def svg_info():
    upload = request.files.get("file")
    if upload is None:
        abort(400, "no file")
    parser = etree.XMLParser(load_dtd=False, resolve_entities=False, no_network=True)
    try:
        root = etree.fromstring(upload.read(), parser)
    except etree.XMLSyntaxError:
        abort(400, "invalid SVG")
    if root.tag != SVG_NS + "svg":
        abort(400, "not an SVG document")
    return jsonify({
        "width": root.get("width"),
        "height": root.get("height"),
        "viewBox": root.get("viewBox"),
        "title": root.findtext(SVG_NS + "title"),
    })
