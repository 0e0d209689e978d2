# Fuzz the comment scrubber briefly: whatever a reader writes, Scrub must
# not panic, must return valid UTF-8 with no 9 digits in a row, and must
# change nothing when run again on its own result.
go test -run='^$' -fuzz='^FuzzScrub$' -fuzztime=200000x ./internal/feedback
