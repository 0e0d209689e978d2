// Package web draws the site's pages: templ components (*.templ, with the
// generated *_templ.go committed) and the view models they take
// (views.go, findviews.go), shaped like the pages, with every word already
// chosen. It does no I/O and holds no business rules; internal/pages
// builds the models, and web_test.go renders each component from a
// literal one.
package web
