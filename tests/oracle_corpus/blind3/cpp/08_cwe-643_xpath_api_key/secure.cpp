#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include <iostream>
#include <optional>
#include <string>

// The gateway keeps its API clients in clients.xml:
//   <clients>
//     <client id="billing" key="..."><role>service</role></client>
//     ...
//   </clients>
class ClientRegistry {
public:
    explicit ClientRegistry(const char *path)
        : doc_(xmlReadFile(path, nullptr, XML_PARSE_NONET | XML_PARSE_NOBLANKS))
    {
    }
    ~ClientRegistry()
    {
        if (doc_)
            xmlFreeDoc(doc_);
    }
    ClientRegistry(const ClientRegistry &) = delete;
    ClientRegistry &operator=(const ClientRegistry &) = delete;

    bool loaded() const { return doc_ != nullptr; }

    // Returns the role of the client whose id and key match the values sent in
    // the X-Client-Id / X-Api-Key request headers, or nothing if they don't.
    std::optional<std::string> authenticate(const std::string &client_id,
                                            const std::string &api_key) const
    {
        if (!doc_)
            return std::nullopt;

        xmlXPathContextPtr ctx = xmlXPathNewContext(doc_);
        if (!ctx)
            return std::nullopt;

        xmlXPathRegisterVariable(ctx, BAD_CAST "id", xmlXPathNewString(BAD_CAST client_id.c_str()));
        xmlXPathRegisterVariable(ctx, BAD_CAST "key", xmlXPathNewString(BAD_CAST api_key.c_str()));

        std::string expr = "/clients/client[@id=$id and @key=$key]/role";
        xmlXPathObjectPtr result = xmlXPathEvalExpression(BAD_CAST expr.c_str(), ctx);

        std::optional<std::string> role;
        if (result && result->nodesetval && result->nodesetval->nodeNr > 0) {
            xmlChar *text = xmlNodeGetContent(result->nodesetval->nodeTab[0]);
            if (text) {
                role = reinterpret_cast<const char *>(text);
                xmlFree(text);
            }
        }

        xmlXPathFreeObject(result);
        xmlXPathFreeContext(ctx);
        return role;
    }

private:
    xmlDocPtr doc_;
};

int main(int argc, char **argv)
{
    if (argc != 3) {
        std::cerr << "usage: " << argv[0] << " <client-id> <api-key>\n";
        return 2;
    }
    ClientRegistry registry("/etc/gateway/clients.xml");
    if (!registry.loaded()) {
        std::cerr << "cannot load client registry\n";
        return 1;
    }
    if (auto role = registry.authenticate(argv[1], argv[2])) {
        std::cout << "authenticated, role=" << *role << '\n';
        return 0;
    }
    std::cout << "access denied\n";
    return 1;
}
