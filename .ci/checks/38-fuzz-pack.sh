# Fuzz the site pack's article reader briefly: a broken site.bin must be an
# error, never a panic or an allocation beyond the file's size.
go test -run='^$' -fuzz='^FuzzReadSite$' -fuzztime=100000x ./internal/pack
