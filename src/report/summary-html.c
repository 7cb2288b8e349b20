/* SPDX-License-Identifier: MIT */
/* The fleet summary as one self-contained HTML page: inline CSS and one inline script, no
 * external asset. Tables sort (click a header) and filter (text, severity, state); the layout
 * narrows to a phone's width. Host names, rule ids and messages come from reports, that is from
 * the hosts: every one is escaped as text or attribute value (xml_escaped()), the
 * script reads only the DOM (no report data inside it), and the Content-Security-Policy allows
 * no script but ours (by its SHA-256), so that an injected one would not run either. */
#include "basic/parse-util.h"
#include "basic/sha256.h"
#include "basic/time-util.h"
#include "report/summary.h"
#include "report/xml-escape.h"

static const char STYLE[] =
        "body{font-family:system-ui,sans-serif;margin:1em;color:#222;background:#fff}"
        "h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.5em}"
        ".controls{display:flex;flex-wrap:wrap;gap:.5em;margin:.5em 0}"
        ".controls input,.controls select{font-size:1em;padding:.3em}"
        ".scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}"
        "table{border-collapse:collapse;min-width:100%}"
        "th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}"
        "th{background:#eee;cursor:pointer;user-select:none;white-space:nowrap}"
        "th[aria-sort=ascending]::after{content:' \\25B2'}th[aria-sort=descending]::after{content:' \\25BC'}"
        "td.msg{word-break:break-word;max-width:40em}"
        ".sev-high{background:#d32f2f;color:#fff}.sev-medium{background:#f57c00;color:#fff}"
        ".sev-low{background:#fbc02d;color:#222}.sev-info{background:#90a4ae;color:#222}"
        ".st-clean,.c-pass{background:#c8e6c9}.st-failing,.c-fail{background:#ffcdd2}"
        ".st-old{background:#ffe0b2}.st-incomplete,.c-error{background:#e1bee7}"
        ".st-missing{background:#cfd8dc}.c-waived{background:#bbdefb}.c-skip,.c-absent,.c-disabled{"
        "color:#777}"
        ".badge{padding:0 .4em;border-radius:.3em;white-space:nowrap}"
        "td.c{text-align:center}"
        "@media (max-width:600px){body{margin:.4em;font-size:14px}th,td{padding:.2em .3em}"
        ".controls{flex-direction:column}td.msg{max-width:16em}td.host{min-width:6em;max-width:10em;"
        "overflow-wrap:anywhere}}";

/* Reads the tables from the DOM; data-v holds a cell's sort key. The URL's fragment may set
 * the filters and a sort (#q=web&state=failing&sort=hosts:8:desc). */
static const char SCRIPT[] =
        "(function(){'use strict';"
        "function key(td,num){var v=td.getAttribute('data-v');if(v===null)v=td.textContent;"
        "return num?parseFloat(v)||0:v.toLowerCase();}"
        "function sortBy(th){var table=th.closest('table'),body=table.tBodies[0],"
        "idx=Array.prototype.indexOf.call(th.parentNode.children,th),num=th.getAttribute('data-type')==='"
        "num',"
        "asc=th.getAttribute('aria-sort')!=='ascending';"
        "Array.prototype.forEach.call(th.parentNode.children,function(h){h.removeAttribute('aria-sort');});"
        "th.setAttribute('aria-sort',asc?'ascending':'descending');"
        "var rows=Array.prototype.slice.call(body.rows);"
        "rows.sort(function(a,b){var x=key(a.cells[idx],num),y=key(b.cells[idx],num);"
        "return (x<y?-1:x>y?1:0)*(asc?1:-1);});"
        "rows.forEach(function(r){body.appendChild(r);});}"
        "function filter(){var q=document.getElementById('q').value.toLowerCase(),"
        "sev=document.getElementById('sev').value,st=document.getElementById('state').value,shown=0;"
        "document.querySelectorAll('table.filterable tbody tr').forEach(function(r){"
        "var ok=(!q||r.textContent.toLowerCase().indexOf(q)>=0)&&"
        "(!sev||!r.hasAttribute('data-sev')||r.getAttribute('data-sev')===sev)&&"
        "(!st||r.getAttribute('data-state')===st);r.hidden=!ok;"
        "if(ok&&r.closest('table').id==='hosts')shown++;});"
        "document.getElementById('shown').textContent=shown+' shown';}"
        "document.querySelectorAll('table.sortable th').forEach(function(th){"
        "th.addEventListener('click',function(){sortBy(th);});});"
        "['q','sev','state'].forEach(function(id){document.getElementById(id)"
        ".addEventListener('input',filter);});"
        /* #q=TEXT&sev=SEV&state=STATE&sort=TABLE:COLUMN[:desc]: a view to bookmark or link */
        "var p=new URLSearchParams(location.hash.slice(1));"
        "['q','sev','state'].forEach(function(id){if(p.has(id))document.getElementById(id).value=p.get(id);}"
        ");"
        "var so=(p.get('sort')||'').split(':'),t=so[0]?document.getElementById(so[0]):null,"
        "th=t&&t.tHead?t.tHead.rows[0].cells[parseInt(so[1],10)]:null;"
        "if(th){sortBy(th);if(so[2]==='desc')sortBy(th);}"
        "filter();"
        "document.body.setAttribute('data-hosts',String(document.querySelectorAll('#hosts tbody "
        "tr').length));"
        "document.body.setAttribute('data-ready','1');})();";

static void base64(const unsigned char *in, size_t n, char *out)
{
        static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

        for (size_t i = 0; i < n; i += 3) {
                unsigned v = (unsigned) in[i] << 16 | (i + 1 < n ? (unsigned) in[i + 1] << 8 : 0) |
                             (i + 2 < n ? in[i + 2] : 0);
                *out++ = tab[v >> 18 & 63];
                *out++ = tab[v >> 12 & 63];
                *out++ = i + 1 < n ? tab[v >> 6 & 63] : '=';
                *out++ = i + 2 < n ? tab[v & 63] : '=';
        }
        *out = 0;
}

/* 'sha256-BASE64' of the script, for the Content-Security-Policy. */
static void script_hash(char out[static 45])
{
        char hex[SHA256_HEX_SIZE];
        unsigned char raw[32];

        sha256_hex(SCRIPT, strlen(SCRIPT), hex);
        for (size_t i = 0; i < 32; i++)
                raw[i] = (unsigned char) ((unhexchar(hex[2 * i]) << 4) | unhexchar(hex[2 * i + 1]));
        base64(raw, sizeof raw, out);
}

static int esc(FILE *out, const char *s)
{
        return xml_escaped(out, s);
}

static void html_head(const Summary *s, FILE *out)
{
        char hash[45], now[32];

        script_hash(hash);
        format_rfc3339(s->now, now);
        fprintf(out,
                "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                "style-src 'unsafe-inline'; script-src 'sha256-%s'\">\n"
                "<title>dockaudit fleet summary</title>\n<style>%s</style>\n</head>\n<body>\n"
                "<h1>dockaudit fleet summary</h1>\n"
                "<p>%zu hosts: <span class=\"badge st-clean\">%zu clean</span> "
                "<span class=\"badge st-failing\">%zu failing</span> <span class=\"badge st-old\">%zu "
                "old</span> "
                "<span class=\"badge st-incomplete\">%zu incomplete</span> "
                "<span class=\"badge st-missing\">%zu missing</span>; fail-on %s; at %s; exit status "
                "%d</p>\n"
                "<div class=\"controls\"><input id=\"q\" type=\"search\" placeholder=\"Filter hosts, rules, "
                "messages\" aria-label=\"Filter\">\n<select id=\"sev\" aria-label=\"Severity\"><option "
                "value=\"\">all severities</option><option>high</option><option>medium</option>"
                "<option>low</option><option>info</option></select>\n<select id=\"state\" "
                "aria-label=\"Host state\"><option value=\"\">all states</option><option>clean</option>"
                "<option>failing</option><option>old</option><option>incomplete</option><option>missing"
                "</option></select> <span id=\"shown\"></span></div>\n",
                hash, STYLE, s->n_hosts, s->n_state[HOST_CLEAN], s->n_state[HOST_FAILING],
                s->n_state[HOST_OLD], s->n_state[HOST_INCOMPLETE], s->n_state[HOST_MISSING],
                severity_to_string(s->fail_on), now, summary_exit_status(s));
}

/* <td data-v="N">N</td> for each failing severity, high first. */
static void html_counts(const SummaryHost *h, FILE *out)
{
        for (int k = _SEVERITY_MAX - 1; k >= 0; k--)
                fprintf(out, "<td class=\"c%s\" data-v=\"%zu\">%zu</td>",
                        h->n_fail[k] ? (k == SEVERITY_HIGH            ? " sev-high"
                                               : k == SEVERITY_MEDIUM ? " sev-medium"
                                               : k == SEVERITY_LOW    ? " sev-low"
                                                                      : " sev-info")
                                     : "",
                        h->n_fail[k], h->n_fail[k]);
}

static int html_hosts(const Summary *s, FILE *out)
{
        fputs("<h2>Hosts</h2>\n<div class=\"scroll\"><table id=\"hosts\" class=\"sortable "
              "filterable\"><thead><tr>"
              "<th>Host</th><th>State</th><th data-type=\"num\">High</th><th data-type=\"num\">Medium</th>"
              "<th data-type=\"num\">Low</th><th data-type=\"num\">Info</th><th "
              "data-type=\"num\">Waived</th>"
              "<th data-type=\"num\">Stale waivers</th><th data-type=\"num\">Age</th><th>Problems</th>"
              "</tr></thead><tbody>\n",
                out);
        for (size_t i = 0; i < s->n_hosts; i++) {
                const SummaryHost *h = &s->hosts[i];
                const char *st = host_state_to_string(summary_host_state(h));
                uint64_t age = !h->missing && s->now > h->time ? (uint64_t) (s->now - h->time) : 0;
                char a[32] = "";

                fprintf(out, "<tr data-state=\"%s\"><td class=\"host\">", st);
                if (esc(out, h->name) < 0)
                        return -ENOMEM;
                fprintf(out, "</td><td><span class=\"badge st-%s\">%s</span></td>", st, st);
                html_counts(h, out);
                if (!h->missing)
                        summary_format_age(age, a);
                fprintf(out,
                        "<td class=\"c\" data-v=\"%zu\">%zu</td><td class=\"c\" data-v=\"%zu\">%zu</td>"
                        "<td data-v=\"%llu\">%s</td><td class=\"msg\">",
                        h->n_waived, h->n_waived, h->n_stale, h->n_stale,
                        (unsigned long long) (h->missing ? UINT64_MAX / 2 : age), a);
                for (char **p = h->problems; p && *p; p++) {
                        if (p != h->problems)
                                fputs("<br>", out);
                        if (esc(out, *p) < 0)
                                return -ENOMEM;
                }
                fputs("</td></tr>\n", out);
        }
        fputs("</tbody></table></div>\n", out);
        return 0;
}

static int html_rules(const Summary *s, FILE *out)
{
        fputs("<h2>Failing rules by host count</h2>\n<div class=\"scroll\"><table id=\"rules\" "
              "class=\"sortable filterable\"><thead><tr><th data-type=\"num\">Hosts</th><th>Severity</th>"
              "<th>Rule</th><th>Failing on</th></tr></thead><tbody>\n",
                out);
        for (size_t k = 0; k < s->n_rules && s->rules[k].n_fail > 0; k++) {
                const char *sev = severity_to_string(s->rules[k].severity);
                bool first = true;

                fprintf(out,
                        "<tr data-sev=\"%s\"><td class=\"c\" data-v=\"%zu\">%zu</td><td data-v=\"%d\">"
                        "<span class=\"badge sev-%s\">%s</span></td><td><code>",
                        sev, s->rules[k].n_fail, s->rules[k].n_fail, (int) s->rules[k].severity, sev, sev);
                if (esc(out, s->rules[k].id) < 0)
                        return -ENOMEM;
                fputs("</code><br>", out);
                if (esc(out, s->rules[k].title) < 0)
                        return -ENOMEM;
                fputs("</td><td class=\"msg\">", out);
                for (size_t i = 0; i < s->n_hosts; i++) {
                        if (s->hosts[i].missing || !streq(summary_cell_status(s->hosts[i].cells[k]), "fail"))
                                continue;
                        fputs(first ? "" : ", ", out);
                        first = false;
                        if (esc(out, s->hosts[i].name) < 0)
                                return -ENOMEM;
                }
                fputs("</td></tr>\n", out);
        }
        fputs("</tbody></table></div>\n", out);
        return 0;
}

/* One row of the findings table: a failing, waived or erroneous result. */
static int html_finding(const SummaryHost *h, const SummaryRule *rule, const json_t *cell, FILE *out)
{
        const char *st = summary_cell_status(cell), *sev = severity_to_string(rule->severity);
        const json_t *w = json_object_get(cell, "waiver");

        fprintf(out, "<tr data-sev=\"%s\" data-state=\"%s\"><td class=\"host\">", sev,
                host_state_to_string(summary_host_state(h)));
        if (esc(out, h->name) < 0)
                return -ENOMEM;
        fputs("</td><td><code>", out);
        if (esc(out, rule->id) < 0)
                return -ENOMEM;
        fprintf(out,
                "</code></td><td data-v=\"%d\"><span class=\"badge sev-%s\">%s</span></td>"
                "<td class=\"c-%s\">%s</td><td class=\"msg\">",
                (int) rule->severity, sev, sev, st, st);
        if (esc(out, streq(st, "fail") ? summary_str(cell, "message") : summary_str(cell, "reason")) < 0)
                return -ENOMEM;
        if (w) {
                fputs(streq(st, "waived") ? "waived: " : "waiver expired: ", out);
                if (esc(out, summary_str(w, "reason")) < 0)
                        return -ENOMEM;
                fputs(" (owner ", out);
                if (esc(out, summary_str(w, "owner")) < 0 || fputs(", expires ", out) < 0 ||
                        esc(out, summary_str(w, "expires")) < 0)
                        return -ENOMEM;
                fputs(")", out);
        }
        fputs("</td></tr>\n", out);
        return 0;
}

static int html_stale(const SummaryHost *h, FILE *out)
{
        json_t *e;
        size_t k;

        json_array_foreach(json_object_get(json_object_get(h->doc, "waivers"), "stale"), k, e)
        {
                fprintf(out, "<tr data-state=\"%s\"><td class=\"host\">",
                        host_state_to_string(summary_host_state(h)));
                if (esc(out, h->name) < 0)
                        return -ENOMEM;
                fputs("</td><td><code>", out);
                if (esc(out, summary_str(e, "rule")) < 0)
                        return -ENOMEM;
                fputs("</code></td><td></td><td class=\"c-skip\">stale waiver</td><td class=\"msg\">", out);
                if (esc(out, summary_str(e, "file")) < 0)
                        return -ENOMEM;
                fprintf(out, ":%lld matches nothing</td></tr>\n",
                        (long long) json_integer_value(json_object_get(e, "line")));
        }
        return 0;
}

static int html_findings(const Summary *s, FILE *out)
{
        fputs("<h2>Findings, waivers and stale waivers</h2>\n<div class=\"scroll\"><table id=\"findings\" "
              "class=\"sortable filterable\"><thead><tr><th>Host</th><th>Rule</th><th data-type=\"num\">"
              "Severity</th><th>Status</th><th>Message</th></tr></thead><tbody>\n",
                out);
        for (size_t i = 0; i < s->n_hosts; i++) {
                const SummaryHost *h = &s->hosts[i];

                for (size_t k = 0; !h->missing && k < s->n_rules; k++) {
                        const char *st = summary_cell_status(h->cells[k]);

                        if ((streq(st, "fail") || streq(st, "waived") || streq(st, "error")) &&
                                html_finding(h, &s->rules[k], h->cells[k], out) < 0)
                                return -ENOMEM;
                }
                if (!h->missing && html_stale(h, out) < 0)
                        return -ENOMEM;
        }
        fputs("</tbody></table></div>\n", out);
        return 0;
}

/* Hosts x rules (the rules failing or waived somewhere). */
static int html_matrix(const Summary *s, FILE *out)
{
        fputs("<h2>Matrix</h2>\n<div class=\"scroll\"><table id=\"matrix\" class=\"sortable filterable\">"
              "<thead><tr><th>Host</th>",
                out);
        for (size_t k = 0; k < s->n_rules; k++) {
                if (s->rules[k].n_fail + s->rules[k].n_waived == 0)
                        continue;
                fprintf(out, "<th class=\"sev-%s\">", severity_to_string(s->rules[k].severity));
                if (esc(out, s->rules[k].id) < 0)
                        return -ENOMEM;
                fputs("</th>", out);
        }
        fputs("</tr></thead><tbody>\n", out);
        for (size_t i = 0; i < s->n_hosts; i++) {
                const SummaryHost *h = &s->hosts[i];

                fprintf(out, "<tr data-state=\"%s\"><td class=\"host\">",
                        host_state_to_string(summary_host_state(h)));
                if (esc(out, h->name) < 0)
                        return -ENOMEM;
                fputs("</td>", out);
                for (size_t k = 0; k < s->n_rules; k++) {
                        const char *st = h->missing ? "absent" : summary_cell_status(h->cells[k]);

                        if (s->rules[k].n_fail + s->rules[k].n_waived > 0)
                                fprintf(out, "<td class=\"c c-%s\">%s</td>", st, h->missing ? "?" : st);
                }
                fputs("</tr>\n", out);
        }
        fputs("</tbody></table></div>\n", out);
        return 0;
}

int summary_html(const Summary *s, FILE *out)
{
        html_head(s, out);
        if (html_hosts(s, out) < 0 || html_rules(s, out) < 0 || html_findings(s, out) < 0 ||
                html_matrix(s, out) < 0)
                return -ENOMEM;
        fprintf(out, "<script>%s</script>\n</body>\n</html>\n", SCRIPT);
        return ferror(out) ? -EIO : 0;
}
