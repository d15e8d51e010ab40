/* dcat_turtle.c - writes the catalogue's RDF tree as Turtle: blank nodes inline as [ ... ],
 * a nested named node as a reference with its description after its parent's.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "dcat_graph.h"
#include "mue_err.h"
#include "mue_mem.h"

/* The named nodes met while writing one top-level node, described after it. */
struct pending {
    const struct dcat_node **nodes;
    int n, cap;
};

static void pending_push(struct pending *p, const struct dcat_node *n)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 8;
        p->nodes = mue_xrealloc(p->nodes, (size_t)p->cap * sizeof(*p->nodes));
    }
    p->nodes[p->n++] = n;
}

/* A string literal between double quotes (Turtle's STRING_LITERAL_QUOTE): quotes, backslashes
 * and line breaks escaped, other control characters as \u00XX, UTF-8 kept as it is. */
static int put_string(struct mue_buf *b, const char *s)
{
    int rc = mue_buf_append(b, "\"", 1);

    for (const unsigned char *p = (const unsigned char *)s; *p && rc == MUE_OK; p++) {
        switch (*p) {
        case '"':
            rc = mue_buf_append_str(b, "\\\"");
            break;
        case '\\':
            rc = mue_buf_append_str(b, "\\\\");
            break;
        case '\n':
            rc = mue_buf_append_str(b, "\\n");
            break;
        case '\r':
            rc = mue_buf_append_str(b, "\\r");
            break;
        case '\t':
            rc = mue_buf_append_str(b, "\\t");
            break;
        default:
            if (*p < 0x20 || *p == 0x7f)
                rc = mue_buf_printf(b, "\\u%04X", *p);
            else
                rc = mue_buf_append(b, p, 1);
        }
    }
    return rc == MUE_OK ? mue_buf_append(b, "\"", 1) : rc;
}

/* IRIs were checked by dcat.c: absolute, none of the characters IRIREF forbids. */
static int put_iri(struct mue_buf *b, const char *iri)
{
    return mue_buf_printf(b, "<%s>", iri);
}

static int put_indent(struct mue_buf *b, int depth)
{
    return mue_buf_printf(b, "%*s", depth * 4, "");
}

static int put_body(struct mue_buf *b, const struct dcat_node *n, int depth, struct pending *later);

static int put_value(struct mue_buf *b, const struct dcat_value *v, int depth,
                     struct pending *later)
{
    int rc;

    switch (v->kind) {
    case DCAT_VALUE_IRI:
        return put_iri(b, v->text);
    case DCAT_VALUE_LITERAL:
        rc = put_string(b, v->text);
        /* A datatype is a prefixed name, or a full IRI when no prefix covers it. */
        if (rc == MUE_OK && v->datatype)
            rc = mue_buf_printf(b, strstr(v->datatype, "://") ? "^^<%s>" : "^^%s", v->datatype);
        return rc;
    case DCAT_VALUE_NODE:
        if (v->node->iri) {
            pending_push(later, v->node);
            return put_iri(b, v->node->iri);
        }
        rc = mue_buf_append_str(b, "[\n");
        if (rc == MUE_OK)
            rc = put_body(b, v->node, depth + 1, later);
        if (rc == MUE_OK)
            rc = mue_buf_append_str(b, "\n");
        if (rc == MUE_OK)
            rc = put_indent(b, depth);
        return rc == MUE_OK ? mue_buf_append_str(b, "]") : rc;
    }
    return MUE_EINVAL;
}

/* The predicate-object list of a node, one predicate a line, values of a predicate that
 * follow each other joined by commas. */
static int put_body(struct mue_buf *b, const struct dcat_node *n, int depth, struct pending *later)
{
    int rc = put_indent(b, depth);
    const char *sep = "";

    if (rc == MUE_OK && n->ntypes > 0) {
        rc = mue_buf_append_str(b, "a ");
        for (int i = 0; i < n->ntypes && rc == MUE_OK; i++)
            rc = mue_buf_printf(b, "%s%s", i ? ", " : "", n->types[i]);
        sep = " ;\n";
    }
    for (int i = 0; i < n->nprops && rc == MUE_OK; i++) {
        const struct dcat_prop *p = &n->props[i];
        if (i > 0 && strcmp(p->pred, n->props[i - 1].pred) == 0) {
            rc = mue_buf_append_str(b, ", ");
        } else {
            rc = mue_buf_append_str(b, sep);
            if (rc == MUE_OK && *sep)
                rc = put_indent(b, depth);
            if (rc == MUE_OK)
                rc = mue_buf_printf(b, "%s ", p->pred);
        }
        if (rc == MUE_OK)
            rc = put_value(b, &p->value, depth, later);
        sep = " ;\n";
    }
    return rc;
}

static int put_subject(struct mue_buf *b, const struct dcat_node *n, struct pending *later)
{
    int rc = n->iri ? put_iri(b, n->iri) : mue_buf_append_str(b, "[]");

    if (rc == MUE_OK)
        rc = mue_buf_append_str(b, "\n");
    if (rc == MUE_OK)
        rc = put_body(b, n, 1, later);
    return rc == MUE_OK ? mue_buf_append_str(b, " .\n\n") : rc;
}

int dcat_graph_turtle(const struct dcat_graph *g, struct mue_buf *out)
{
    struct pending later = { 0 };
    int rc = MUE_OK;

    for (int i = 0; i < dcat_nprefixes && rc == MUE_OK; i++)
        rc = mue_buf_printf(out, "@prefix %s: <%s> .\n", dcat_prefixes[i].prefix,
                            dcat_prefixes[i].ns);
    if (rc == MUE_OK)
        rc = mue_buf_append_str(out, "\n");
    for (int i = 0; i < g->n && rc == MUE_OK; i++) {
        later.n = 0;
        rc = put_subject(out, g->nodes[i], &later);
        /* Describing a pending node may add more; the list grows while we walk it. */
        for (int j = 0; j < later.n && rc == MUE_OK; j++)
            rc = put_subject(out, later.nodes[j], &later);
    }
    free(later.nodes);
    return rc;
}
