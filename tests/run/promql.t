# sonde promql split (issue 22): PromQL alert expressions split into the
# sides they compare. No probes: these run the parser, the printer and the
# rules-file reader, and check what they print against promtool (Debian's
# prometheus package), which must accept every side.

### promql_split_walks_into_and_and_gives_each_comparison
--- flags
promql split 'a > 3 and b < 1'
--- stdout
a  >  3
b  <  1

### promql_split_unless_on_gives_both_comparisons_without_the_set_operators_matching
--- flags
promql split 'up == 0 unless on(job) (sum by (job) (up) == 0)'
--- stdout
up  ==  0
sum by (job) (up)  ==  0

### promql_split_a_comparison_of_a_comparison_keeps_the_inner_one_whole
--- flags
promql split '(a > 10) < 100'
--- stdout
a > 10  <  100

### promql_split_keeps_bool_with_the_operator
--- flags
promql split 'x > bool 2'
--- stdout
x  > bool  2

### promql_split_an_error_ratio_against_its_threshold
--- flags
promql split 'sum by (job) (rate(e[5m])) / sum by (job) (rate(t[5m])) > 0.01'
--- stdout
sum by (job) (rate(e[5m])) / sum by (job) (rate(t[5m]))  >  0.01

### promql_split_an_operand_that_compares_nothing_is_a_series_by_itself
--- flags
promql split 'absent(up{job="api"}) or up{job="api"} == 0 and on (instance) deploying'
--- stdout
absent(up{job="api"})
up{job="api"}  ==  0
deploying

### promql_split_prints_the_comparisons_matching_with_its_operator
--- flags
promql split 'node_load1 > on (instance) group_left (nodename) 2 * count by (instance) (node_cpu_seconds_total{mode="idle"})'
--- stdout
node_load1  > on (instance) group_left (nodename)  2 * count by (instance) (node_cpu_seconds_total{mode="idle"})

### promql_split_an_expression_that_starts_with_a_minus
--- flags
promql split '-delta(x[5m]) > 1'
--- stdout
-delta(x[5m])  >  1

### promql_split_json_gives_each_pair_and_null_for_a_lone_series
--- flags
promql split --json 'rate(errors_total{job="api"}[5m]) > 1 or absent(up{job="api"})'
--- stdout
{"expr": "rate(errors_total{job=\"api\"}[5m]) > 1 or absent(up{job=\"api\"})", "pairs": [{"left": "rate(errors_total{job=\"api\"}[5m])", "op": ">", "right": "1"}, {"left": "absent(up{job=\"api\"})", "op": null, "right": null}]}

### promql_split_rules_gives_each_alert_with_its_pairs_and_skips_recording_rules
--- flags
promql split --rules tests/data/promql/example.yml
--- stdout
HighErrorRate
  sum by (job) (rate(http_requests_total{code=~"5.."}[5m])) / sum by (job) (rate(http_requests_total[5m]))  >  0.01
InstanceDown
  up{job="api"}  ==  0
  sum by (job) (up{job="api"})  ==  0

### promql_split_graph_url_draws_each_distinct_side_in_a_panel
--- flags
promql split --rules tests/data/promql/example.yml --graph-url http://localhost:9090/
--- stdout
HighErrorRate
  sum by (job) (rate(http_requests_total{code=~"5.."}[5m])) / sum by (job) (rate(http_requests_total[5m]))  >  0.01
  graph: http://localhost:9090/graph?g0.expr=sum%20by%20%28job%29%20%28rate%28http_requests_total%7Bcode%3D~%225..%22%7D%5B5m%5D%29%29%20%2F%20sum%20by%20%28job%29%20%28rate%28http_requests_total%5B5m%5D%29%29&g0.tab=0&g1.expr=0.01&g1.tab=0
InstanceDown
  up{job="api"}  ==  0
  sum by (job) (up{job="api"})  ==  0
  graph: http://localhost:9090/graph?g0.expr=up%7Bjob%3D%22api%22%7D&g0.tab=0&g1.expr=0&g1.tab=0&g2.expr=sum%20by%20%28job%29%20%28up%7Bjob%3D%22api%22%7D%29&g2.tab=0

### promql_split_rules_json_is_one_document_with_an_entry_per_alert
--- flags
promql split --json --rules tests/data/promql/example.yml --graph-url http://prom:9090
--- check
(lambda d: [a["alert"] for a in d["alerts"]] == ["HighErrorRate", "InstanceDown"] and d["alerts"][1]["pairs"] == [{"left": 'up{job="api"}', "op": "==", "right": "0"}, {"left": 'sum by (job) (up{job="api"})', "op": "==", "right": "0"}] and d["alerts"][0]["group"] == "api" and d["alerts"][1]["graph_url"].startswith("http://prom:9090/graph?g0.expr=up%7Bjob%3D%22api%22%7D&g0.tab=0&g1.expr=0&"))(__import__("json").loads(out))

### promql_every_side_of_322_alert_rules_passes_promtool_and_prints_back_the_same
The corpus (node_exporter, kube-prometheus, blackbox, self-monitoring,
services, SLO burn rates) split; each side and each alert's expression as
sonde prints it, as recording rules, through promtool check rules; the
printed expressions split again to the same pairs.
--- setup
python3 tests/run/scripts/promql_sides.py {SONDE} tests/data/promql/alerts.yml {TMP} 200
--- flags
promql split --json --rules tests/data/promql/alerts.yml
--- check
len(__import__("json").loads(out)["alerts"]) == 322

### promql_sonde_and_promtool_accept_the_same_edge_cases
--- setup
python3 tests/run/scripts/promql_agree.py {SONDE} tests/data/promql/valid.txt - {TMP}
--- flags
promql split 'x > 1'
--- stdout
x  >  1

### promql_sonde_and_promtool_refuse_the_same_invalid_expressions
Unbalanced, unknown functions, by on a non-aggregation, bad durations,
type errors, regular expressions RE2 does not compile …
--- setup
python3 tests/run/scripts/promql_agree.py {SONDE} - tests/data/promql/invalid.txt {TMP}
--- flags
promql split 'x > 1'
--- stdout
x  >  1

### promql_a_parse_error_points_at_line_and_column
--- flags
promql split 'sum(rate(x[5m])) by (job) > nope(1)'
--- rc
1
--- stderr
expr:1:29-33: ERROR: unknown function with name "nope"
sum(rate(x[5m])) by (job) > nope(1)
                            ~~~~

### promql_a_type_error_points_at_the_argument
--- flags
promql split 'rate(x) > 1'
--- rc
1
--- stderr
expr:1:6-7: ERROR: expected type range vector in call to function "rate", got instant vector
rate(x) > 1
     ~

### promql_by_on_a_function_is_refused
--- flags
promql split 'rate(x[5m]) by (job) > 1'
--- rc
1
--- stderr
expr:1:13-15: ERROR: unexpected identifier "by" in expression, expected an operator or end of input
rate(x[5m]) by (job) > 1
            ~~

### promql_an_error_in_a_rules_file_points_into_the_file
The expression of a | block: its line and column in the file; a quoted one
with escapes: the line of its rule and the expression as YAML read it.
Alerts that parse are still split; the exit status says something failed.
--- setup
printf 'groups:\n  - name: g\n    rules:\n      - alert: Broken\n        expr: |\n          sum by (job) (\n            rate(x[5m])\n          ) > bool\n      - alert: Quoted\n        expr: "up{job=\\"a\\"} == nope(1)"\n      - alert: Fine\n        expr: up == 0\n' > {TMP}/broken.yml
--- flags
promql split --rules {TMP}/broken.yml
--- rc
1
--- stdout
Fine
  up  ==  0
--- stderr
{TMP}/broken.yml:8:19-20: ERROR: in "Broken": unexpected end of input in expression
          ) > bool
                  ~
{TMP}/broken.yml:1:16-20: ERROR: in "Quoted" (rule at line 9): unknown function with name "nope"
up{job="a"} == nope(1)
               ~~~~

### promql_an_empty_rules_file_is_an_error
--- setup
: > {TMP}/empty.yml
--- flags
promql split --rules {TMP}/empty.yml
--- rc
1
--- stderr
ERROR: {TMP}/empty.yml: empty rules file: no groups, no rules

### promql_a_rules_file_that_is_not_yaml_is_an_error
--- setup
printf 'groups: [\n  - name: x\n' > {TMP}/bad.yml
--- flags
promql split --rules {TMP}/bad.yml
--- rc
1
--- stderr
{TMP}/bad.yml:2:3-4: ERROR: not a YAML file: did not find expected node content
  - name: x
  ~

### promql_yaml_that_is_not_a_rules_file_is_an_error
--- setup
printf 'just some text\n' > {TMP}/text.yml
--- flags
promql split --rules {TMP}/text.yml
--- rc
1
--- stderr
{TMP}/text.yml:1:1-2: ERROR: not a Prometheus rules file: no "groups" list at the top
just some text
~

### promql_a_rule_without_expr_is_an_error_and_the_others_still_split
--- setup
printf 'groups:\n  - name: g\n    rules:\n      - alert: NoExpr\n        for: 5m\n      - alert: Fine\n        expr: up == 0\n' > {TMP}/noexpr.yml
--- flags
promql split --rules {TMP}/noexpr.yml
--- rc
1
--- stdout
Fine
  up  ==  0
--- stderr
{TMP}/noexpr.yml:4:9-10: ERROR: rule "NoExpr" has no expr
      - alert: NoExpr
        ~

### promql_a_missing_rules_file_is_an_error
--- flags
promql split --rules /nonexistent/rules.yml
--- rc
1
--- stderr
ERROR: cannot read rules file '/nonexistent/rules.yml': No such file or directory

### promql_deep_nesting_is_refused_with_a_message_not_a_crash
100000 parentheses, and a sum of 100000 terms, in a rules file.
--- setup
python3 -c 'print("groups:\n  - name: g\n    rules:\n      - alert: Deep\n        expr: " + "(" * 100000 + "x" + ")" * 100000 + "\n      - alert: Long\n        expr: x" + " + x" * 100000)' > {TMP}/deep.yml
--- flags
promql split --rules {TMP}/deep.yml
--- rc
1
--- check
err.count("ERROR") == 2 and "in \"Deep\": expression nests too deeply (more than 256 levels)" in err and "in \"Long\": expression nests too deeply (more than 256 levels)" in err

### promql_no_expression_is_an_error
--- flags
promql split
--- rc
1
--- stderr-has
ERROR: no expression to split: give one, or --rules FILE

### promql_an_expression_and_rules_together_are_refused
--- flags
promql split --rules tests/data/promql/example.yml up
--- rc
1
--- stderr
ERROR: give an expression or --rules FILE, not both

### promql_an_unknown_command_is_refused
--- flags
promql graph up
--- rc
1
--- stderr-has
ERROR: unknown promql command 'graph': the one there is, is split

### promql_errors_in_plain_and_single_quoted_expressions_point_into_the_file
--- setup
printf "groups:\n  - name: g\n    rules:\n      - alert: Plain\n        expr: rate(x) > 1\n      - alert: Single\n        expr: 'up{job=\"a\"} > bool'\n      - alert: Both\n        record: r\n        expr: up\n" > {TMP}/pos.yml
--- flags
promql split --rules {TMP}/pos.yml
--- rc
1
--- stderr
{TMP}/pos.yml:8:9-10: ERROR: rule "Both" has both alert and record: it is one or the other
      - alert: Both
        ~
{TMP}/pos.yml:5:20-21: ERROR: in "Plain": expected type range vector in call to function "rate", got instant vector
        expr: rate(x) > 1
                   ~
{TMP}/pos.yml:7:34-35: ERROR: in "Single": unexpected end of input in expression
        expr: 'up{job="a"} > bool'
                                 ~
