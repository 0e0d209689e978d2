# The preview swaps the whole site while requests read it, pages are made
# on first request into caches many requests share, and the access log is
# written from another goroutine. Run those tests with the race detector.
go test -race -count=1 ./internal/devreload ./internal/server ./internal/prepared ./internal/content ./internal/pages ./internal/accesslog
