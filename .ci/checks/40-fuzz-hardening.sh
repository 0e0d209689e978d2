# Fuzz article loading (front matter and Markdown), the symptom rules
# loader, and the router's path and query handling briefly, from the
# committed seed corpora. Budgets are counts of inputs, not durations: a
# duration ends on a deadline that Go 1.26's fuzz coordinator can report
# as a failure with no failing input ("context deadline exceeded",
# go.dev/issue/75804), which happened here on a busy machine.
go test -run='^$' -fuzz='^FuzzParse$' -fuzztime=150000x ./internal/content
go test -run='^$' -fuzz='^FuzzComplaintRules$' -fuzztime=150000x ./internal/checker
go test -run='^$' -fuzz='^FuzzRoutes$' -fuzztime=60000x ./internal/server
