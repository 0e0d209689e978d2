# Fuzz the feedback form's reader briefly: whatever a form's body holds,
# it never panics, accepts only forms about pages that ask, and a comment
# sent back is shown as text, never as markup.
go test -run='^$' -fuzz='^FuzzFeedbackForm$' -fuzztime=100000x ./internal/pages
