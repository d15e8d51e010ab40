# api_roles.sh - mue-api's roles against its own OpenAPI document (sourced by api.sh): every route ×
# every role allowed or refused as declared, the document listing exactly the routes answered, keys
# (revoked, garbage, imported) and their audit log rows, `mue-admin keys list` showing no secret.

declare -A ROLE_KEY=([public]='' [partner]=$KEY_PARTNER [operator]=$KEY_OPERATOR
    [directorate]=$KEY_DIRECTORATE [admin]=$KEY_ADMIN)
ROLES_EUI=${PARTNER_EUIS%% *} # a heat device in the partner's list: the public sees it too
ROLES_FROM=$(date -u -d "@$(($(date -u -d "$day_end" +%s) - 86400))" +%Y-%m-%dT%H:%M:%SZ)

# roles_call METHOD PATH [KEY]: prints the status. A method other than GET sends a body that is not
# JSON, so that a route that changes things refuses it (400) before doing anything. A stream (the
# live events) is cut after 5 s: its status is what counts.
roles_call() {
    local auth=() body=()
    [ -n "${3:-}" ] && auth=(-H "Authorization: Bearer $3")
    [ "$1" != GET ] && body=(-H 'Content-Type: application/json' --data-binary 'not json')
    curl -sS -m 5 -o "$T/roles_body" -w '%{http_code}' -X "$1" "${auth[@]}" "${body[@]}" "$API$2" 2>/dev/null
}

# roles_fill METHOD PATTERN REQUIRED_QUERY: the pattern's {names} filled in and the required query
# parameters given. A change (not GET) is aimed at a device that is not registered.
roles_fill() {
    local p=$2 q='' name eui=$ROLES_EUI
    [ "$1" = GET ] || eui=ffffffffffffff00
    p=${p//\{dev_eui\}/$eui}
    p=${p//\{use_case\}/waste}
    p=${p//\{group\}/it-no-such-group}
    p=${p//\{id\}/999999999}
    p=${p//\{name\}/waste.full}
    for name in ${3//,/ }; do
        case $name in
        quantity) q="$q&quantity=fill_level" ;;
        from) q="$q&from=$ROLES_FROM" ;;
        *) q="$q&$name=x" ;; # unknown to this test: a 400 is still neither 401 nor 403
        esac
    done
    printf '%s%s' "$p" "${q:+?${q#&}}"
}

curl -sS -o "$T/openapi.json" -w '%{http_code}' "$API/v1/openapi.json" > "$T/openapi.status" 2>/dev/null
if [ "$(cat "$T/openapi.status")" = 200 ] && jq -e '.openapi == "3.0.3" and (.paths | length > 0)' \
    "$T/openapi.json" > /dev/null 2>&1; then
    ok "GET /v1/openapi.json answers an OpenAPI 3.0.3 document"
else
    not_ok "GET /v1/openapi.json" "$(cat "$T/openapi.status") $(head -c 300 "$T/openapi.json")"
fi
# One line per operation: METHOD PATTERN ROLES REQUIRED_QUERY (comma-separated, "-" for none).
jq -r '.paths | to_entries[] | .key as $p | .value | to_entries[] |
    [(.key | ascii_upcase), $p, (.value["x-mue-roles"] | join(",")),
     ([.value.parameters[]? | select(.in == "query" and .required) | .name] | join(",") |
      if . == "" then "-" else . end)] | join(" ")' "$T/openapi.json" > "$T/openapi.ops" 2>/dev/null
[ -s "$T/openapi.ops" ] || not_ok "the OpenAPI document lists operations"

# --- every route × every role: allowed (neither 401 nor 403) or refused (401 public, 403 keyed)
while read -r method pattern roles required; do
    [ "$required" = - ] && required=''
    path=$(roles_fill "$method" "$pattern" "$required")
    if [[ $path == *'{'* ]]; then
        not_ok "$method $pattern: a path parameter this test cannot fill" "$path"
        continue
    fi
    bad=''
    for role in public partner operator directorate admin; do
        status=$(roles_call "$method" "$path" "${ROLE_KEY[$role]}")
        if [[ ",$roles," == *",$role,"* ]]; then
            case $status in
            401 | 403 | 405 | 5?? | 000) bad="$bad $role:$status(allowed) $(head -c 200 "$T/roles_body")" ;;
            esac
        else
            want=403
            [ "$role" = public ] && want=401
            [ "$status" = "$want" ] || bad="$bad $role:$status(want $want)"
        fi
    done
    [ -z "$bad" ] && ok "$method $pattern: allowed to $roles, refused to the others" ||
        not_ok "$method $pattern roles" "$path:$bad"
done < "$T/openapi.ops"

# --- the document lists exactly the routes the server answers: a garbage key is refused (401) on
# every documented operation, which is only reached once the route matched; other methods of a
# documented path are 405; undocumented paths 404.
bad=''
while read -r method pattern roles required; do
    path=$(roles_fill "$method" "$pattern" "")
    status=$(roles_call "$method" "$path" garbage-key-that-is-not-registered-anywhere)
    [ "$status" = 401 ] || bad="$bad $method:$path:$status"
    for other in GET POST PUT DELETE PATCH; do
        grep -q "^$other $pattern " "$T/openapi.ops" && continue
        status=$(roles_call "$other" "$path")
        [ "$status" = 405 ] || bad="$bad $other:$path:$status(want 405)"
    done
done < "$T/openapi.ops"
[ -z "$bad" ] && ok "every documented operation is routed (a garbage key gets 401), other methods get 405" ||
    not_ok "documented operations are routed" "$bad"
r="$(roles_call GET /v1/nope) $(roles_call GET /v1/devices/x/y/z) $(roles_call GET /v1/devices/$ROLES_EUI/latest/x)"
[ "$r" = "404 404 404" ] && ok "undocumented paths get 404" || not_ok "undocumented paths get 404" "$r"
get_only=$(jq -r '.paths | to_entries[] | select(.value | keys == ["get"]) | .key' "$T/openapi.json" |
    grep -v '{' | head -1)
r=$(roles_call POST "$get_only" "$KEY_ADMIN")
[ -n "$get_only" ] && [ "$r" = 405 ] && ok "POST on a GET route ($get_only) gets 405" ||
    not_ok "POST on a GET route gets 405" "$get_only $r"

# --- who the caller is
bad=''
for role in public partner operator directorate admin; do
    r=$(api_get /v1/me "${ROLE_KEY[$role]}")
    name=test-$role
    [ "$role" = public ] && name=public
    case "$r" in 200*"\"role\":\"$role\""*) ;; *) bad="$bad $role:$r" ;; esac
    case "$r" in *"\"name\":\"$name\""*) ;; *) bad="$bad $role(name):$r" ;; esac
done
[ -z "$bad" ] && ok "/v1/me shows each role and key name" || not_ok "/v1/me per role" "$bad"

# --- bad keys
r="$(curl -sS -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer not-a-key' "$API/v1/me")"
r="$r $(curl -sS -o /dev/null -w '%{http_code}' -H 'Authorization: Basic dXNlcjpwYXNz' "$API/v1/me")"
r="$r $(curl -sS -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer' "$API/v1/usecases")"
r="$r $(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer ${KEY_ADMIN}x" "$API/v1/audit")"
[ "$r" = "401 401 401 401" ] && ok "garbage Authorization headers get 401, even on public routes" ||
    not_ok "garbage Authorization headers get 401" "$r"

KEY_REVOKED=$(admin keys create --name test-revoked --role operator 2> "$T/keys_revoked.err")
REVOKED_ID=$(sed -n 's/^key \([0-9][0-9]*\) created for operator: it is shown once$/\1/p' "$T/keys_revoked.err")
before=$(api_get /v1/me "$KEY_REVOKED")
admin keys revoke "$REVOKED_ID" 2>> "$T/log/keys.log"
rc=$?
after=$(api_get /v1/me "$KEY_REVOKED")
case "$before|$rc|$after" in
200*'"role":"operator"'*"|0|401 "*invalid_key*) ok "a revoked key gets 401 at once" ;;
*) not_ok "a revoked key gets 401" "id=$REVOKED_ID before=$before rc=$rc after=$after" ;;
esac
admin keys revoke 999999 2> /dev/null
[ $? = 1 ] && ok "revoking an unknown key id exits 1" || not_ok "revoking an unknown key id exits 1"

# --- keys create refuses what would make a useless or wrong key
admin keys create --name t --role directorate > /dev/null 2>&1
r=$?
admin keys create --name t --role directorate --use-case waste,atlantis > /dev/null 2> "$T/keys.err"
r="$r $?"
admin keys create --name t --role partner --device ffffffffffffff00 > /dev/null 2>> "$T/keys.err"
r="$r $?"
admin keys create --name t --role root > /dev/null 2>&1
r="$r $?"
admin keys create --name t --role admin --key too-short > /dev/null 2>&1
r="$r $?"
case "$r" in
"2 1 1 2 2") grep -q atlantis "$T/keys.err" && grep -q ffffffffffffff00 "$T/keys.err" &&
    ok "keys create refuses a missing scope, unknown use cases and devices, roles, short keys" ||
    not_ok "keys create errors name what is wrong" "$(cat "$T/keys.err")" ;;
*) not_ok "keys create refuses bad arguments" "exit statuses $r" ;;
esac
IMPORTED=imported-key-for-the-roles-test-$(date +%s%N)
a=$(admin keys create --name test-import --role operator --key "$IMPORTED" 2> /dev/null)
b=$(admin keys create --name test-import --role operator --key "$IMPORTED" 2> "$T/keys_import.err")
rc_b=$?
admin keys create --name other --role admin --key "$IMPORTED" > /dev/null 2>&1
rc_c=$?
me=$(api_get /v1/me "$IMPORTED")
if [ "$a" = "$IMPORTED" ] && [ "$b" = "$IMPORTED" ] && [ $rc_b = 0 ] && [ $rc_c = 1 ] &&
    grep -q "key already present" "$T/keys_import.err"; then
    case "$me" in 200*'"name":"test-import"'*) ok "an imported key works; importing it again is a no-op, under another name refused" ;;
    *) not_ok "an imported key works" "$me" ;; esac
else
    not_ok "importing a key twice" "a=$a b=$b rc=$rc_b/$rc_c $(cat "$T/keys_import.err")"
fi

# --- the audit log: the key's creation and revocation, newest first
r=$(api_get "/v1/audit?limit=1000" "$KEY_ADMIN")
echo "${r#* }" > "$T/audit.json"
if [ "${r%% *}" = 200 ] && jq -e --arg id "$REVOKED_ID" '
    ([.items[] | select(.target == $id and .actor == "mue-admin")] as $k |
     ($k | map(.action) | sort) == ["key.create", "key.revoke"] and
     ($k | all(.detail.name == "test-revoked" and .detail.role == "operator"))) and
    (.items | length) == .total and .limit == 1000 and .offset == 0 and
    ([.items[].id] == ([.items[].id] | sort | reverse)) and
    (.items[0] | has("at") and has("key_id") and has("actor") and has("action") and has("target") and
     has("detail")) and
    (.items[0].at | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{6}Z$"))' \
    "$T/audit.json" > /dev/null 2>&1; then
    ok "the audit log shows key.create and key.revoke of the key, newest first"
else
    not_ok "the audit log of keys" "$(head -c 600 "$T/audit.json")"
fi
r=$(api_get "/v1/audit?limit=1&offset=1" "$KEY_ADMIN")
second=$(jq -r '.items[1].id' "$T/audit.json" 2> /dev/null)
case "$r" in 200*"\"items\":[{\"id\":$second,"*'"limit":1,"offset":1,'*) ok "the audit log pages with limit and offset" ;;
*) not_ok "audit log paging" "$r (want id $second)" ;; esac
r="$(api_get "/v1/audit?limit=0" "$KEY_ADMIN") $(api_get "/v1/audit?offset=-1" "$KEY_ADMIN")"
case "$r" in 400*limit*400*offset*) ok "the audit log refuses a bad limit or offset (400 naming it)" ;;
*) not_ok "audit log bad page" "$r" ;; esac

# --- keys list: every key, never a secret
admin keys list > "$T/keys.list" 2>> "$T/log/keys.log"
rc=$?
bad=''
for k in "$KEY_ADMIN" "$KEY_DIRECTORATE" "$KEY_OPERATOR" "$KEY_PARTNER" "$KEY_REVOKED" "$IMPORTED"; do
    grep -q -F -- "$k" "$T/keys.list" && bad="$bad key"
    grep -q -F -- "$(printf '%s' "$k" | sha256sum | cut -c1-64)" "$T/keys.list" && bad="$bad hash"
done
grep -q -E '[0-9a-f]{64}' "$T/keys.list" && bad="$bad hex64"
jq -e -s --arg id "$REVOKED_ID" 'length >= 6 and
    all(has("id") and has("name") and has("role") and has("use_cases") and has("devices") and
        has("created_at") and has("revoked_at") and (has("key_hash") | not)) and
    (map(select(.id == ($id | tonumber)))[0].revoked_at != null) and
    (map(select(.name == "test-directorate"))[0].use_cases == ["waste", "water"])' \
    "$T/keys.list" > /dev/null 2>&1 || bad="$bad fields"
[ $rc = 0 ] && [ -z "$bad" ] && ok "keys list prints each key's fields and never a key or its hash" ||
    not_ok "keys list" "rc=$rc$bad $(head -c 400 "$T/keys.list")"
