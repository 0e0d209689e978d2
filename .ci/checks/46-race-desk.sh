# The editors' desk under the race detector, against both databases: its
# access log and the feedback store's writer run beside the handlers, and
# the sign-in throttle is tested with parallel guesses.
go test -race -count=1 ./internal/desk/auth ./internal/desk
