from flask import Flask, abort, g, jsonify
from lxml import etree

app = Flask(__name__)

ARCHIVE_FILE = "/srv/archive/documents.xml"

_parser = etree.XMLParser(resolve_entities=False, no_network=True)
_archive = etree.parse(ARCHIVE_FILE, _parser)


def find_document(tenant_id, doc_id):
    """Return the <document> element with the given id that belongs to tenant
    `tenant_id`, or None. The archive looks like
    <archive><document id=".." tenant=".."><title/><body/></document>...</archive>"""
    results = _archive.xpath(
        "/archive/document[@id = $doc_id and @tenant = $tenant]",
        doc_id=doc_id,
        tenant=tenant_id,
    )
    return results[0] if results else None


@app.route("/api/documents/<doc_id>")
def get_document(doc_id):
    tenant_id = g.tenant_id  # set by the auth middleware from the API key
    doc = find_document(tenant_id, doc_id)
    if doc is None:
        abort(404)
    return jsonify(
        {
            "id": doc.get("id"),
            "title": doc.findtext("title", default=""),
            "body": doc.findtext("body", default=""),
        }
    )
