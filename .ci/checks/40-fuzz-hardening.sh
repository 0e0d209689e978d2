# Fuzz article loading (front matter and Markdown), the symptom rules
# loader, and the router's path
# and query handling briefly, from the committed seed corpora.
go test -run='^$' -fuzz='^FuzzParse$' -fuzztime=12s ./internal/content
go test -run='^$' -fuzz='^FuzzComplaintRules$' -fuzztime=12s ./internal/content
go test -run='^$' -fuzz='^FuzzRoutes$' -fuzztime=12s ./internal/server
