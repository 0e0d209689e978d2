# Fuzz the editors' desk's parsers briefly: a stored password hash (Parse
# refuses parameters outside its bounds and round-trips what it accepts),
# the comment queue's query string (accepted filters are text and ask for
# the same queue when written back), and where a sign-in sends the editor
# (only ever a /desk path of the desk's own origin). Budgets are counts.
go test -run='^$' -fuzz='^FuzzParse$' -fuzztime=100000x ./internal/desk/password
go test -run='^$' -fuzz='^FuzzParseQueue$' -fuzztime=100000x ./internal/desk
go test -run='^$' -fuzz='^FuzzSafeNext$' -fuzztime=100000x ./internal/desk
