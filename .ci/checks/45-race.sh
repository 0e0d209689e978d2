# The preview swaps the whole site while requests read it, pages are made
# on first request into caches many requests share, searches read the index
# while an edit moves it to the next site, and the access log is written
# from another goroutine. Run those tests with the race detector (search
# with -short: its 10,000-article tests take minutes under it).
go test -race -count=1 ./internal/devreload ./internal/server ./internal/prepared ./internal/content ./internal/pages ./internal/accesslog
go test -race -short -count=1 ./internal/search
# The feedback store's writer goroutine commits its callers' answers in
# groups, against both databases (HEALTHSITE_TEST_POSTGRES, from setup).
go test -race -count=1 ./internal/feedback ./internal/store/...
