# Fuzz the symptom query parser briefly: every query must parse or be refused
# as a bad query, and what parses must round-trip; the forgiving reading that
# finds red flags in any link reads what url.ParseQuery reads, and finds the
# same red flags as a plain lookup.
go test -run='^$' -fuzz='^FuzzParseQuery$' -fuzztime=500000x ./internal/checker
go test -run='^$' -fuzz='^FuzzAnswerIDs$' -fuzztime=200000x ./internal/checker
go test -run='^$' -fuzz='^FuzzRedFlagsIn$' -fuzztime=200000x ./internal/checker
