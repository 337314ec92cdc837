#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include <iostream>
#include <optional>
#include <string>

// Returns the <role> of the enabled account whose login attribute matches
// `login`, e.g. for <accounts><account login="jdoe" enabled="true"><role>admin</role>...
std::optional<std::string> find_account_role(xmlDocPtr doc, const std::string& login)
{
    xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
    if (ctx == nullptr) {
        return std::nullopt;
    }

    if (xmlXPathRegisterVariable(ctx, BAD_CAST "login", xmlXPathNewCString(login.c_str())) != 0) {
        xmlXPathFreeContext(ctx);
        return std::nullopt;
    }

    const std::string expr = "/accounts/account[@login=$login and @enabled='true']/role";
    xmlXPathObjectPtr result = xmlXPathEvalExpression(BAD_CAST expr.c_str(), ctx);
    if (result == nullptr) {
        xmlXPathFreeContext(ctx);
        return std::nullopt;
    }

    std::optional<std::string> role;
    xmlNodeSetPtr nodes = result->nodesetval;
    if (nodes != nullptr && nodes->nodeNr > 0) {
        xmlChar* text = xmlNodeGetContent(nodes->nodeTab[0]);
        if (text != nullptr) {
            role = reinterpret_cast<const char*>(text);
            xmlFree(text);
        }
    }

    xmlXPathFreeObject(result);
    xmlXPathFreeContext(ctx);
    return role;
}

int main(int argc, char* argv[])
{
    if (argc != 3) {
        std::cerr << "usage: " << argv[0] << " <accounts.xml> <login>\n";
        return 2;
    }

    xmlDocPtr doc = xmlReadFile(argv[1], nullptr, XML_PARSE_NONET);
    if (doc == nullptr) {
        std::cerr << "failed to parse " << argv[1] << "\n";
        return 1;
    }

    auto role = find_account_role(doc, argv[2]);
    xmlFreeDoc(doc);
    xmlCleanupParser();

    if (!role) {
        std::cout << "access denied\n";
        return 1;
    }
    std::cout << "role: " << *role << "\n";
    return 0;
}
