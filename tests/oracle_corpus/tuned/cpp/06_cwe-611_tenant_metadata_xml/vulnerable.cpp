#include <stdexcept>
#include <string>
#include <libxml/parser.h>
#include <libxml/tree.h>

std::string read_entity_id(const std::string &path)
{
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (ctxt == nullptr)
        throw std::runtime_error("cannot allocate parser context");
    xmlDocPtr doc = xmlCtxtReadFile(ctxt, path.c_str(), nullptr, XML_PARSE_NOENT | XML_PARSE_DTDLOAD | XML_PARSE_DTDATTR);
    if (doc == nullptr) {
        xmlFreeParserCtxt(ctxt);
        throw std::runtime_error("invalid metadata XML");
    }
    std::string id;
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (root != nullptr) {
        xmlChar *value = xmlGetProp(root, BAD_CAST "entityID");
        if (value != nullptr) {
            id = reinterpret_cast<const char *>(value);
            xmlFree(value);
        }
    }
    xmlFreeDoc(doc);
    xmlFreeParserCtxt(ctxt);
    return id;
}
