"""Sanitise user-uploaded SVG icons before they are stored and served."""
from lxml import etree

MAX_SVG_BYTES = 512 * 1024

ALLOWED_TAGS = {
    "svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
    "defs", "linearGradient", "radialGradient", "stop", "title", "desc", "use",
    "symbol", "clipPath", "mask", "text", "tspan",
}


class InvalidSVG(ValueError):
    pass


def _local(name) -> str:
    return etree.QName(name).localname if isinstance(name, str) else ""


def sanitize_svg(data: bytes) -> bytes:
    if len(data) > MAX_SVG_BYTES:
        raise InvalidSVG("file too large")

    parser = etree.XMLParser(remove_comments=True, remove_pis=True, resolve_entities=False, no_network=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise InvalidSVG(f"not well-formed XML: {exc}") from exc

    if _local(root.tag) != "svg":
        raise InvalidSVG("root element must be <svg>")

    for el in list(root.iter()):
        if el is root:
            pass
        elif not isinstance(el.tag, str) or _local(el.tag) not in ALLOWED_TAGS:
            parent = el.getparent()
            if parent is not None:
                parent.remove(el)
            continue
        for attr in list(el.attrib):
            name = _local(attr).lower()
            value = el.attrib[attr].strip().lower()
            if name.startswith("on"):
                del el.attrib[attr]
            elif name == "href" and not value.startswith("#"):
                del el.attrib[attr]
            elif name == "style" and ("url(" in value or "expression(" in value):
                del el.attrib[attr]

    return etree.tostring(root, xml_declaration=True, encoding="utf-8")
