/* dcat_graph.h - the small RDF tree the catalogue is built as once, then written in JSON-LD or
 * Turtle, so both syntaxes always say the same thing. Internal to dcat*.c.
 * SPDX-License-Identifier: MIT */
#ifndef DCAT_GRAPH_H
#define DCAT_GRAPH_H

#include "mue_buf.h"

/* A prefix of the vocabularies used; predicates, types and datatypes are written as prefixed
 * names ("dct:title", "xsd:dateTime") made from this table. */
struct dcat_prefix {
    const char *prefix;
    const char *ns;
};
extern const struct dcat_prefix dcat_prefixes[];
extern const int dcat_nprefixes;

enum dcat_value_kind { DCAT_VALUE_IRI, DCAT_VALUE_LITERAL, DCAT_VALUE_NODE };

struct dcat_node;

struct dcat_value {
    enum dcat_value_kind kind;
    char *text;           /* the IRI or the literal's lexical form (owned) */
    const char *datatype; /* a prefixed name, a full IRI, or NULL (plain string); static */
    struct dcat_node *node;
};

struct dcat_prop {
    const char *pred; /* a prefixed name; static */
    struct dcat_value value;
};

/* A subject: named by an IRI, or blank (iri NULL). A nested named node is described where it
 * is nested: JSON-LD writes it in place, Turtle right after its parent. */
struct dcat_node {
    char *iri;
    const char *types[3]; /* prefixed names; static */
    int ntypes;
    struct dcat_prop *props;
    int nprops, cap;
};

/* The top-level nodes of a document, in order. */
struct dcat_graph {
    struct dcat_node **nodes;
    int n, cap;
};

/* Allocation aborts on OOM (mue_xmalloc), so none of these can fail. Strings are copied;
 * 'pred', 'type' and 'datatype' must be static (string literals). */
struct dcat_node *dcat_node_new(const char *iri);
void dcat_node_free(struct dcat_node *n);
void dcat_node_add_type(struct dcat_node *n, const char *type);
void dcat_node_add_iri(struct dcat_node *n, const char *pred, const char *iri);
void dcat_node_add_literal(struct dcat_node *n, const char *pred, const char *text,
                           const char *datatype);
/* Adds a nested node (blank when 'iri' is NULL) and returns it; 'n' owns it. */
struct dcat_node *dcat_node_add_node(struct dcat_node *n, const char *pred, const char *iri);

/* The graph takes ownership of 'n'. */
void dcat_graph_add(struct dcat_graph *g, struct dcat_node *n);
void dcat_graph_fini(struct dcat_graph *g);

/* Serializers: append the graph to 'out'. Return 0, MUE_EINVAL (text jansson refuses), or
 * MUE_E2BIG at the buffer's ceiling. */
int dcat_graph_jsonld(const struct dcat_graph *g, struct mue_buf *out);
int dcat_graph_turtle(const struct dcat_graph *g, struct mue_buf *out);

#endif
