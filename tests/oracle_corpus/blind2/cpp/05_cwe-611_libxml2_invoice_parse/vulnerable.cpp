#include <libxml/parser.h>
#include <libxml/tree.h>

#include <climits>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>

struct InvoiceSummary {
    std::string number;
    std::string customer;
    double total = 0.0;
};

static std::string child_text(xmlNodePtr parent, const char* name)
{
    for (xmlNodePtr n = parent->children; n != nullptr; n = n->next) {
        if (n->type == XML_ELEMENT_NODE && xmlStrcmp(n->name, BAD_CAST name) == 0) {
            xmlChar* content = xmlNodeGetContent(n);
            std::string value = content ? reinterpret_cast<const char*>(content) : "";
            xmlFree(content);
            return value;
        }
    }
    return {};
}

std::optional<InvoiceSummary> parse_invoice(const std::string& xml)
{
    if (xml.empty() || xml.size() > static_cast<size_t>(INT_MAX)) {
        return std::nullopt;
    }

    xmlDocPtr doc = xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "invoice.xml", nullptr,
                                  XML_PARSE_NOENT | XML_PARSE_DTDLOAD | XML_PARSE_NOBLANKS);
    if (doc == nullptr) {
        return std::nullopt;
    }

    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (root == nullptr || xmlStrcmp(root->name, BAD_CAST "invoice") != 0) {
        xmlFreeDoc(doc);
        return std::nullopt;
    }

    InvoiceSummary summary;
    summary.number = child_text(root, "number");
    summary.customer = child_text(root, "customer");
    std::istringstream total(child_text(root, "total"));
    if (!(total >> summary.total)) {
        summary.total = 0.0;
    }

    xmlFreeDoc(doc);
    return summary;
}

int main(int argc, char* argv[])
{
    if (argc != 2) {
        std::cerr << "usage: " << argv[0] << " <invoice.xml>\n";
        return 2;
    }
    std::ifstream in(argv[1], std::ios::binary);
    if (!in) {
        std::cerr << "cannot open " << argv[1] << "\n";
        return 1;
    }
    const std::string xml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());

    xmlInitParser();
    auto invoice = parse_invoice(xml);
    xmlCleanupParser();

    if (!invoice) {
        std::cerr << "invalid invoice document\n";
        return 1;
    }
    std::cout << "Invoice " << invoice->number << " for " << invoice->customer
              << ": total " << invoice->total << "\n";
    return 0;
}
