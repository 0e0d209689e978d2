// Package contentfile is what every content file the site reads has in
// common, whatever it holds (an article, a complaint's rules or cases, the
// synonyms): problems reported at their file and line, calendar days, YAML
// decoded strictly (every unknown field and bad value reported where it
// is), the levels of care, and a clinician's sign-off bound to a hash of
// the text. The packages that read files (content for articles and
// synonyms, checker for the symptom checker's rules) build on it; it
// imports nothing of the site.
package contentfile
