package browsertest

import (
	"fmt"
	"os"
	"strings"

	"github.com/chromedp/chromedp"
)

// AxeTags are the rule sets the NHS.UK design system runs: WCAG 2.2 A and AA
// (with the 2.0 and 2.1 rules they build on) and axe's best practices.
var AxeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"}

// Violation is one axe-core rule that the page breaks.
type Violation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target  []any  `json:"target"`
		Summary string `json:"failureSummary"`
	} `json:"nodes"`
}

func (v Violation) String() string {
	var targets []string
	for _, n := range v.Nodes {
		targets = append(targets, fmt.Sprint(n.Target...)+": "+strings.ReplaceAll(n.Summary, "\n", " "))
	}
	return fmt.Sprintf("%s (%s): %s\n    %s", v.ID, v.Impact, v.Help, strings.Join(targets, "\n    "))
}

var axeSource string

// Axe runs axe-core on the page as it is now and returns the violations.
func (p *Page) Axe() []Violation {
	p.t.Helper()
	if axeSource == "" {
		b, err := os.ReadFile(AxePath())
		if err != nil {
			p.t.Fatalf("reading axe-core: %v", err)
		}
		axeSource = string(b)
	}
	if p.noJS {
		// axe-core is itself JavaScript: let it run, then turn scripts off again.
		p.setScripts(true)
		defer p.setScripts(false)
	}
	if _, err := chromedp.Run(p.Ctx, chromedp.Evaluate[chromedp.Void](axeSource)); err != nil {
		p.t.Fatalf("loading axe-core into the page: %v", err)
	}
	tags := `["` + strings.Join(AxeTags, `","`) + `"]`
	expr := `axe.run(document, {runOnly: {type: "tag", values: ` + tags + `}, resultTypes: ["violations"]}).then(r => r.violations)`
	violations, err := chromedp.Run(p.Ctx, chromedp.Evaluate[[]Violation](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		p.t.Fatalf("running axe-core: %v", err)
	}
	return violations
}

// CheckAxe fails the test for every axe-core violation on the page.
func (p *Page) CheckAxe(state string) {
	p.t.Helper()
	for _, v := range p.Axe() {
		p.t.Errorf("%s: accessibility: %s", state, v)
	}
}

// CheckNoProblems fails the test for every console error or failed request,
// except one message containing expected (when not empty), which is
// required: an error page's own status, for example.
func (p *Page) CheckNoProblems(state, expected string) {
	p.t.Helper()
	seen := false
	for _, prob := range p.Problems() {
		if expected != "" && !seen && strings.Contains(prob, expected) {
			seen = true
			continue
		}
		p.t.Errorf("%s: %s", state, prob)
	}
	if expected != "" && !seen {
		p.t.Errorf("%s: expected the browser to report %q", state, expected)
	}
}
