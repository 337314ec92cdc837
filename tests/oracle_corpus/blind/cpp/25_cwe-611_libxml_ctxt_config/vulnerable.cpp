#include <libxml/parser.h>
#include <libxml/tree.h>
#include <optional>
#include <string>

std::optional<std::string> pluginName(const std::string &path)
{
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (ctxt == nullptr)
        return std::nullopt;
    xmlDocPtr doc = xmlCtxtReadFile(ctxt, path.c_str(), nullptr, XML_PARSE_NOENT);
    std::optional<std::string> result;
    if (doc != nullptr) {
        xmlNodePtr root = xmlDocGetRootElement(doc);
        if (root != nullptr) {
            xmlChar *name = xmlGetProp(root, BAD_CAST "name");
            if (name != nullptr) {
                result = reinterpret_cast<const char *>(name);
                xmlFree(name);
            }
        }
        xmlFreeDoc(doc);
    }
    xmlFreeParserCtxt(ctxt);
    return result;
}
