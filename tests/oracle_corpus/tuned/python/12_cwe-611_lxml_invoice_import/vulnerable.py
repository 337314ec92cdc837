from flask import Flask, jsonify, request
from lxml import etree

app = Flask(__name__)


@app.post("/invoices/import")
def import_invoice():
    parser = etree.XMLParser(resolve_entities=True, load_dtd=True)
    root = etree.fromstring(request.get_data(), parser)
    items = []
    for line in root.iter("line"):
        items.append({
            "sku": line.findtext("sku"),
            "description": line.findtext("description"),
            "quantity": int(line.findtext("quantity", "0")),
        })
    return jsonify(invoice=root.get("number"), items=items)
