// Package checker is the symptom checker: the rules a reader's answers are
// checked against, read and validated from their files, and the logic that
// turns answers into what the results page shows. Everything it says about
// a complaint comes from the complaint's files; no code names one.
//
// From a rules file to a result, in the order a newcomer would follow:
//
//  1. Files. Each complaint has complaints/{id}.yaml (its questions,
//     red flags, symptoms and the article sections each leads to) and
//     complaints/{id}.cases.yaml (triage cases written from the source:
//     answers with the advice and sections they must get); the optional
//     complaints/_site-wide.yaml adds red flags asked with every
//     complaint. ReadFiles reads and decodes them (files.go), reporting
//     every problem a file has on its own at its line; Files.Reread reads
//     again only the ones a save changed, for the preview.
//
//  2. Link (link.go, cases.go) checks the files against each other and the
//     site's articles, which it sees through Articles (content.Site is
//     one): every link lands on a section, every symptom is asked and leads
//     somewhere, every complaint has red flags and a safety net, ids are
//     unique and none is reserved. It returns the Rules (rules.go) and
//     then runs every triage case: rules whose cases fail are refused like
//     broken ones. content.Load calls it, so the server, the preview and
//     healthsite check all refuse the same rules.
//
//  3. A request. The results page reads the answers from its link
//     (ParseQuery, query.go), then Evaluate (evaluate.go) decides everything
//     the page shows: Classify sorts the ids into red flags, symptoms,
//     "none" and unknown ones; Validate says what sends the reader back to
//     the form; CardsFor makes one care card per level of the red flags
//     ticked, most urgent first, whatever else was answered (a red flag
//     always wins, redflags.go); Compute ranks the sections the symptoms
//     lead to (match.go). internal/pages turns the Outcome into a view
//     model, and the triage cases run through the same Evaluate.
//
//  4. Old links (oldlinks.go). Links shared before complaints had
//     addresses of their own name no complaint: ComplaintFor finds the one
//     whose rules define all their answers.
//
// The hashes a clinician's sign-off of a rules file approves are in
// signoff.go.
package checker
