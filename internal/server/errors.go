package server

import (
	"errors"
	"net/http"
)

// statusError is an error that should reach the reader as an HTTP status and
// a friendly page, rather than as a 500.
type statusError struct {
	status int
	err    error // for the log; never shown to the reader
}

func (e *statusError) Error() string {
	if e.err != nil {
		return http.StatusText(e.status) + ": " + e.err.Error()
	}
	return http.StatusText(e.status)
}

func (e *statusError) Unwrap() error { return e.err }

func errNotFound() error { return &statusError{status: http.StatusNotFound} }

// statusOf is the HTTP status an error from a handler should produce.
func statusOf(err error) int {
	var se *statusError
	if errors.As(err, &se) {
		return se.status
	}
	return http.StatusInternalServerError
}

// errorText is what the reader is told for each status we send.
var errorText = map[int]struct{ title, heading, message string }{
	http.StatusBadRequest: {
		"Bad request", "Sorry, we could not understand that address",
		"The address has something in it that we cannot read. Check it, or start again from the list of articles.",
	},
	http.StatusNotFound: {
		"Page not found", "Page not found",
		"If you typed the web address, check it is correct. If you pasted the web address, check you copied the entire address. The page may also have moved.",
	},
	http.StatusMethodNotAllowed: {
		"Method not allowed", "Sorry, this page cannot do that",
		"This page can only be read. Go back and try again, or start from the list of articles.",
	},
	http.StatusRequestURITooLong: {
		"Address too long", "Sorry, that web address is too long",
		"The address is longer than any page on this site. Check it, or start again from the list of articles.",
	},
	http.StatusTooManyRequests: {
		"Too many requests", "Sorry, you have asked for results too often",
		"Wait a minute, then try again. If you need help now, do not wait: in an emergency, call your local emergency number.",
	},
	http.StatusNotImplemented: {
		"Not implemented", "Sorry, this site cannot do that",
		"Your browser or app asked for something this site does not do. Pages here can only be read. Start again from the list of articles.",
	},
	http.StatusInternalServerError: {
		"Sorry, there is a problem", "Sorry, there is a problem with this page",
		"Something went wrong on our side. Try again later. The problem has been logged and we will look at it.",
	},
}
