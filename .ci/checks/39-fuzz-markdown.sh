# Fuzz the parse without linkify briefly: any text markdownFor parses
# without it must render byte for byte as with it.
go test -run='^$' -fuzz='^FuzzMarkdownWithoutLinkify$' -fuzztime=50000x ./internal/content
