/* columns.c - a cell of a PostgreSQL result as JSON, SQL NULL as JSON null: the one place that
 * says how the handlers read text results.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>

#include "api.h"

json_t *api_col_str(const PGresult *res, int row, int col)
{
    return PQgetisnull(res, row, col) ? json_null() : json_string(PQgetvalue(res, row, col));
}

json_t *api_col_real(const PGresult *res, int row, int col)
{
    return PQgetisnull(res, row, col) ? json_null()
                                      : json_real(strtod(PQgetvalue(res, row, col), NULL));
}

json_t *api_col_int(const PGresult *res, int row, int col)
{
    return PQgetisnull(res, row, col)
               ? json_null()
               : json_integer((json_int_t)strtoll(PQgetvalue(res, row, col), NULL, 10));
}

json_t *api_col_bool(const PGresult *res, int row, int col)
{
    return PQgetisnull(res, row, col) ? json_null()
                                      : json_boolean(PQgetvalue(res, row, col)[0] == 't');
}

json_t *api_col_json(const PGresult *res, int row, int col)
{
    json_t *j = PQgetisnull(res, row, col)
                    ? NULL
                    : json_loads(PQgetvalue(res, row, col), JSON_DECODE_ANY, NULL);

    return j != NULL ? j : json_null();
}
