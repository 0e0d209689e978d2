# The preview swaps the whole site while requests read it; the access log
# is written from another goroutine; searches read the index while an edit
# moves it to the next site. Run those tests with the race detector (search
# with -short: its 10,000-article tests take minutes under it).
go test -race -count=1 ./internal/devreload ./internal/server ./internal/accesslog
go test -race -short -count=1 ./internal/search
