# web.sh - the public site and the supervisor pages served by mue-api (sourced by run.sh last,
# when the suite's stack holds the simulated fleet's day, alerts and lighting programs): how the
# files are served, then every page in headless Chromium (tests/web/run.mjs) with its
# accessibility check; screenshots are kept in $B/artifacts/web for a person to look at.

# site_get PATH: prints "STATUS CONTENT-TYPE" of a GET.
site_get() { curl -sS -o "$T/site_body" -w '%{http_code} %{content_type}' "$API$1" 2>/dev/null; }

r=$(site_get /)
[ "$r" = "200 text/html; charset=utf-8" ] && grep -q '<html lang="fr">' "$T/site_body" &&
    ok "GET / is the home page, in French" || not_ok "GET / is the home page" "$r"
r=$(curl -sS -D - -o /dev/null "$API/bruit")
case "$r" in *"Content-Security-Policy: default-src 'self';"*"X-Content-Type-Options: nosniff"*)
    ok "pages are served at clean URLs with a same-origin Content-Security-Policy" ;;
*) not_ok "clean URL and CSP" "$(head -c 300 <<< "$r")" ;; esac
r=$(site_get /assets/site.css)
[ "$r" = "200 text/css; charset=utf-8" ] && ok "assets carry their type" || not_ok "asset type" "$r"
r=$(site_get /assets/geo/communes.geojson)
[ "${r%% *}" = 200 ] && [ "$(jq '.features | length' "$T/site_body")" = 92 ] &&
    ok "the communes' base map is served: 92 features" || not_ok "communes served" "$r"
r=$(curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' "$API/supervision")
[ "$r" = "301 $API/supervision/" ] && ok "a folder's URL without its slash redirects to it" || not_ok "folder redirect" "$r"
r=$(site_get /pas-de-page)
[ "${r%% *}" = 404 ] && grep -q 'Page introuvable' "$T/site_body" &&
    ok "an unknown page is a 404 page in French" || not_ok "unknown page 404" "$r"
bad=""
for p in /../../etc/passwd /assets/../../../etc/passwd /%2e%2e/%2e%2e/etc/passwd /.hidden /assets/.x; do
    r=$(curl -sS --path-as-is -o /dev/null -w '%{http_code}' "$API$p")
    [ "$r" = 404 ] || [ "$r" = 400 ] || bad="$bad $p:$r"
done
[ -z "$bad" ] && ok "no path leaves the site's folder or reaches a hidden file" || not_ok "paths outside the site" "$bad"
r=$(curl -sS -w ' %{http_code}' "$API/v1/pas-de-route")
case "$r" in *'"error":"not_found"'*404) ok "an unknown /v1 path is still the API's JSON 404" ;; *) not_ok "API 404 under /v1" "$r" ;; esac
r=$(curl -sS -o /dev/null -w '%{http_code}' -X POST "$API/bruit")
[ "$r" = 404 ] || [ "$r" = 405 ] && ok "the site answers GET and HEAD only (POST: $r)" || not_ok "POST on a page" "$r"

# The supervision acknowledges alerts: an engine runs (the alert tests stopped theirs), and three
# alerts of the directorate's scope are open, whatever the earlier tests left.
ADMIN[alerts]=$(free_port)
for n in 1 2 3; do
    admin device add --dev-eui a1e70000000000b$n --model test --use-case waste --name "web-alerte-$n" > /dev/null
done
sql "INSERT INTO alert_rule (name, title, use_case, kind, quantity, op, threshold, hysteresis, duration_s, severity)
     VALUES ('web.niveau', 'Niveau de test du navigateur', 'waste', 'threshold', 'test_level', 'above', 80, 5, 0,
             'warning')" > /dev/null
start_alerts alerts
healthy alerts || not_ok "mue-alerts starts for the web pages" "$(tail -3 "$T/log/alerts.log")"
since=$(date -u -d '-10 min' +%Y-%m-%dT%H:%M:%SZ)
for n in 1 2 3; do
    printf '+0 test_level 90\n+60 test_level 92\n' | measure a1e70000000000b$n "web-alerte-$n" "$since"
done
wait_sql "SELECT count(*) FROM alert a JOIN alert_rule r ON r.id = a.rule_id
          WHERE r.name = 'web.niveau' AND a.state = 'open'" 3 30 &&
    ok "three alerts are open for the supervision's pages" || not_ok "open alerts for the web pages"

WEB_OUT=$B/artifacts/web
rm -rf "$WEB_OUT"
mkdir -p "$WEB_OUT"
if ! command -v node > /dev/null || [ ! -x /usr/bin/chromium ]; then
    not_ok "the web pages are tested in Chromium" "node or /usr/bin/chromium missing (make deps)"
else
    MUE_WEB_KEY_ADMIN=$KEY_ADMIN MUE_WEB_KEY_DIRECTORATE=$KEY_DIRECTORATE MUE_WEB_KEY_OPERATOR=$KEY_OPERATOR \
        timeout 900 node tests/web/run.mjs --base "$API" --out "$WEB_OUT" > "$T/log/web.log" 2>&1
    web_rc=$?
    web_lines=0
    while IFS= read -r line; do
        case "$line" in
        "ok - "*) ok "${line#ok - }" ;;
        "not ok - "*) not_ok "${line#not ok - }" ;;
        *) continue ;;
        esac
        web_lines=$((web_lines + 1))
    done < "$T/log/web.log"
    [ "$web_rc" = 0 ] || [ "$web_lines" -gt 0 ] || not_ok "the browser tests ran" "status $web_rc: $(tail -3 "$T/log/web.log")"
    grep '^# ' "$T/log/web.log"
fi
