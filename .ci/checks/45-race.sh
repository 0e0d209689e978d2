# The preview swaps the whole site while requests read it; the access log
# is written from another goroutine. Run those tests with the race detector.
go test -race -count=1 ./internal/devreload ./internal/server ./internal/accesslog
