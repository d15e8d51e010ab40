/* dcat_jsonld.c - writes the catalogue's RDF tree as JSON-LD: a @context of prefixes and a
 * @graph, nested nodes in place, so a person can read it.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "dcat_graph.h"
#include "mue_err.h"

static json_t *node_json(const struct dcat_node *n);

static json_t *value_json(const struct dcat_value *v)
{
    json_t *text;

    switch (v->kind) {
    case DCAT_VALUE_NODE:
        return node_json(v->node);
    case DCAT_VALUE_IRI:
        text = json_string(v->text);
        return text ? json_pack("{s:o}", "@id", text) : NULL;
    case DCAT_VALUE_LITERAL:
        text = json_string(v->text); /* NULL when not UTF-8 */
        if (!text || !v->datatype)
            return text;
        return json_pack("{s:o,s:s}", "@value", text, "@type", v->datatype);
    }
    return NULL;
}

/* A second value of a predicate turns its member into an array. */
static int add_member(json_t *obj, const char *key, json_t *value)
{
    json_t *old = json_object_get(obj, key);

    if (!old)
        return json_object_set_new(obj, key, value);
    if (json_is_array(old))
        return json_array_append_new(old, value);
    json_t *arr = json_pack("[O,o]", old, value);
    return arr ? json_object_set_new(obj, key, arr) : -1;
}

static json_t *node_json(const struct dcat_node *n)
{
    json_t *obj = json_object();

    if (n->iri && json_object_set_new(obj, "@id", json_string(n->iri)) < 0)
        goto fail;
    if (n->ntypes == 1) {
        json_object_set_new(obj, "@type", json_string(n->types[0]));
    } else if (n->ntypes > 1) {
        json_t *types = json_array();
        for (int i = 0; i < n->ntypes; i++)
            json_array_append_new(types, json_string(n->types[i]));
        json_object_set_new(obj, "@type", types);
    }
    for (int i = 0; i < n->nprops; i++) {
        json_t *v = value_json(&n->props[i].value);
        if (!v || add_member(obj, n->props[i].pred, v) < 0)
            goto fail;
    }
    return obj;
fail:
    json_decref(obj);
    return NULL;
}

int dcat_graph_jsonld(const struct dcat_graph *g, struct mue_buf *out)
{
    json_t *doc = json_object(), *ctx = json_object(), *graph = json_array();
    char *text = NULL;
    int rc = MUE_EINVAL;

    for (int i = 0; i < dcat_nprefixes; i++)
        json_object_set_new(ctx, dcat_prefixes[i].prefix, json_string(dcat_prefixes[i].ns));
    json_object_set_new(doc, "@context", ctx);
    json_object_set_new(doc, "@graph", graph);
    for (int i = 0; i < g->n; i++) {
        json_t *node = node_json(g->nodes[i]);
        if (!node)
            goto out;
        json_array_append_new(graph, node);
    }
    /* UTF-8 is kept as it is (no JSON_ENSURE_ASCII); control characters are \u-escaped. */
    text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (!text)
        goto out;
    rc = mue_buf_append_str(out, text);
    if (rc == MUE_OK)
        rc = mue_buf_append_str(out, "\n");
out:
    free(text);
    json_decref(doc);
    return rc;
}
