/* dcat_graph.c - building and freeing the RDF tree of the catalogue; the shared prefix table.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "dcat_graph.h"
#include "mue_mem.h"

const struct dcat_prefix dcat_prefixes[] = {
    { "dcat", "http://www.w3.org/ns/dcat#" },
    { "dct", "http://purl.org/dc/terms/" },
    { "foaf", "http://xmlns.com/foaf/0.1/" },
    { "vcard", "http://www.w3.org/2006/vcard/ns#" },
    { "locn", "http://www.w3.org/ns/locn#" },
    { "gsp", "http://www.opengis.net/ont/geosparql#" },
    { "hydra", "http://www.w3.org/ns/hydra/core#" },
    { "xsd", "http://www.w3.org/2001/XMLSchema#" },
    { "skos", "http://www.w3.org/2004/02/skos/core#" },
};
const int dcat_nprefixes = (int)(sizeof(dcat_prefixes) / sizeof(dcat_prefixes[0]));

struct dcat_node *dcat_node_new(const char *iri)
{
    struct dcat_node *n = mue_xcalloc(1, sizeof(*n));

    n->iri = iri ? mue_xstrdup(iri) : NULL;
    return n;
}

void dcat_node_free(struct dcat_node *n)
{
    if (!n)
        return;
    for (int i = 0; i < n->nprops; i++) {
        free(n->props[i].value.text);
        dcat_node_free(n->props[i].value.node);
    }
    free(n->props);
    free(n->iri);
    free(n);
}

void dcat_node_add_type(struct dcat_node *n, const char *type)
{
    /* Three is the most any node of the catalogue has; more is a bug in dcat.c. */
    if (n->ntypes >= (int)(sizeof(n->types) / sizeof(n->types[0])))
        abort();
    n->types[n->ntypes++] = type;
}

static struct dcat_prop *add_prop(struct dcat_node *n, const char *pred)
{
    if (n->nprops == n->cap) {
        n->cap = n->cap ? n->cap * 2 : 8;
        n->props = mue_xrealloc(n->props, (size_t)n->cap * sizeof(*n->props));
    }
    struct dcat_prop *p = &n->props[n->nprops++];
    memset(p, 0, sizeof(*p));
    p->pred = pred;
    return p;
}

void dcat_node_add_iri(struct dcat_node *n, const char *pred, const char *iri)
{
    struct dcat_prop *p = add_prop(n, pred);

    p->value.kind = DCAT_VALUE_IRI;
    p->value.text = mue_xstrdup(iri);
}

void dcat_node_add_literal(struct dcat_node *n, const char *pred, const char *text,
                           const char *datatype)
{
    struct dcat_prop *p = add_prop(n, pred);

    p->value.kind = DCAT_VALUE_LITERAL;
    p->value.text = mue_xstrdup(text);
    p->value.datatype = datatype;
}

struct dcat_node *dcat_node_add_node(struct dcat_node *n, const char *pred, const char *iri)
{
    struct dcat_prop *p = add_prop(n, pred);

    p->value.kind = DCAT_VALUE_NODE;
    p->value.node = dcat_node_new(iri);
    return p->value.node;
}

void dcat_graph_add(struct dcat_graph *g, struct dcat_node *n)
{
    if (g->n == g->cap) {
        g->cap = g->cap ? g->cap * 2 : 8;
        g->nodes = mue_xrealloc(g->nodes, (size_t)g->cap * sizeof(*g->nodes));
    }
    g->nodes[g->n++] = n;
}

void dcat_graph_fini(struct dcat_graph *g)
{
    for (int i = 0; i < g->n; i++)
        dcat_node_free(g->nodes[i]);
    free(g->nodes);
    g->nodes = NULL;
    g->n = g->cap = 0;
}
