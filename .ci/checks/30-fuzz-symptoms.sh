# Fuzz the symptom query parser briefly: every query must parse or be refused
# as a bad query, and what parses must round-trip.
go test -run='^$' -fuzz='^FuzzParseQuery$' -fuzztime=500000x ./internal/checker
go test -run='^$' -fuzz='^FuzzAnswerIDs$' -fuzztime=200000x ./internal/checker
