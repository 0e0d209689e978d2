// Package e2e holds the tests that use the site as a person would, in real
// headless Chromium: page by page, keyboard only, without JavaScript, at
// phone and desktop widths, with axe-core checking accessibility.
package e2e
