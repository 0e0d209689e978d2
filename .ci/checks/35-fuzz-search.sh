# Fuzz the search query parser briefly: whatever a reader types is either
# refused as too long or read into safe text and words that are only
# letters, digits and marks, so quoting them for FTS5 can never be escaped.
go test -run='^$' -fuzz='^FuzzParseQuery$' -fuzztime=100000x ./internal/search
