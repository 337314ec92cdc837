#include <stdio.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

int print_customer(const char *buf, int len)
{
    xmlDocPtr doc = xmlReadMemory(buf, len, "invoice.xml", NULL, XML_PARSE_NONET);
    if (doc == NULL) {
        fprintf(stderr, "invalid invoice\n");
        return -1;
    }
    xmlNodePtr root = xmlDocGetRootElement(doc);
    for (xmlNodePtr n = root ? root->children : NULL; n != NULL; n = n->next) {
        if (n->type == XML_ELEMENT_NODE && xmlStrcmp(n->name, BAD_CAST "customer") == 0) {
            xmlChar *name = xmlNodeGetContent(n);
            printf("customer: %s\n", name ? (const char *)name : "");
            xmlFree(name);
        }
    }
    xmlFreeDoc(doc);
    return 0;
}
