// Package corpus makes large synthetic article folders shaped like a real
// library, for measuring start-up, memory and page serving and for testing
// the loader at scale. Its articles are filler that says so: never health
// advice, never served by default.
//
// Article i is a pure function of i (its own PCG stream seeded by i), so
// the same n always gives the same files, and any one article can be made
// without making the others.
package corpus

import (
	"fmt"
	"io/fs"
	"iter"
	"math"
	"math/rand/v2"
	"strings"
	"testing/fstest"

	"healthsite/internal/content"
	"healthsite/internal/contentfile"
)

// SeedLen is the size in bytes of the bundled seed article (the one
// article in articles/) when the corpus was designed. It is a constant, not read from the file, so that editing the
// seed article does not change the corpus that measurements are compared on.
const SeedLen = 3929

// MinLen and MaxLen bound an article's size: a third to three times the seed's.
const (
	MinLen = SeedLen / 3
	MaxLen = SeedLen * 3
)

// MinSections and MaxSections bound the "##" sections of an article,
// including "When to get medical help".
const (
	MinSections = 3
	MaxSections = 9
)

// streamSalt is the second word of every article's PCG seed; any fixed
// value works, and changing it changes the whole corpus.
const streamSalt = 0x6865616c74687369 // "healthsi"

// Files yields every file of a corpus of n articles, name and content, in
// a fixed order: the articles, then the symptom checker's complaints
// (Complaints(n) of them, in complaints/), whose rules lead to the
// articles' sections, each with its triage cases. It is the one place that decides what a corpus
// folder holds: FS and cmd/healthsite-gen both write exactly what it yields.
func Files(n int) iter.Seq2[string, []byte] {
	return func(yield func(string, []byte) bool) {
		causes := make([][]cause, n)
		for i := range n {
			text, cs := build(i)
			causes[i] = cs
			if !yield(Name(i), []byte(text)) {
				return
			}
		}
		for k := range Complaints(n) {
			from, to := k*ArticlesPerComplaint, min((k+1)*ArticlesPerComplaint, n)
			rules, cases := complaint(k, from, causes[from:to])
			if !yield(ComplaintName(k), []byte(rules)) || !yield(CasesName(k), []byte(cases)) {
				return
			}
		}
	}
}

// FS is a folder of n synthetic articles.
func FS(n int) fs.FS {
	fsys := fstest.MapFS{}
	for name, data := range Files(n) {
		fsys[name] = &fstest.MapFile{Data: data}
	}
	return fsys
}

// Name is the file name of article i: its slug and ".md".
func Name(i int) string { return Slug(i) + ".md" }

// Slug is the address of article i, made from its title as a writer
// would name the file.
func Slug(i int) string { return contentfile.Slugify(Title(i)) }

// Title is the title of article i. The first titleSpace titles are all
// different (i is mapped to a combination of lead, body part and context
// one to one); beyond that a "(set N)" suffix keeps them apart.
func Title(i int) string {
	k := (uint64(i)*titleStride + titleOffset) % titleSpace
	lead := titleLeads[k%uint64(len(titleLeads))]
	k /= uint64(len(titleLeads))
	part := bodyParts[k%uint64(len(bodyParts))]
	k /= uint64(len(bodyParts))
	context := titleContexts[k]
	t := fill(lead, part.name)
	if context != "" {
		t += " " + context
	}
	if set := uint64(i) / titleSpace; set > 0 {
		t += fmt.Sprintf(" (set %d)", set+1)
	}
	return t
}

// titleSpace is how many distinct lead/part/context combinations there
// are. titleStride is coprime with it, so i -> i*stride+offset mod space
// visits every combination once; it moves lead, part and context each by
// a few steps, so neighbouring articles differ in all three rather than
// walking one lead at a time.
var (
	titleSpace  = uint64(len(titleLeads) * len(bodyParts) * len(titleContexts))
	titleStride = coprimeNear(titleSpace, 11+uint64(len(titleLeads))*(23+uint64(len(bodyParts))*29))
)

const titleOffset = 7919

func coprimeNear(m, start uint64) uint64 {
	for s := start; ; s++ {
		if gcd(s, m) == 1 {
			return s
		}
	}
}

func gcd(a, b uint64) uint64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// Article returns the text of synthetic article i: valid front matter and
// a body of 3 to 9 sections whose size is spread, on a log scale, from a
// third to three times the seed article's.
func Article(i int) string {
	text, _ := build(i)
	return text
}

// cause is a cause section of a generated article, which a generated
// complaint's symptom may lead to.
type cause struct {
	slug, id, title string
}

// build makes article i and lists its cause sections.
func build(i int) (string, []cause) {
	g := &gen{r: rand.New(rand.NewPCG(uint64(i), streamSalt)), i: i, ids: map[string]bool{}}
	g.title = Title(i)
	g.part = partOf(i)
	// Log-uniform: as many articles below the seed's size as above it,
	// and both ends of the range well represented.
	ratio := math.Exp(math.Log(1.0/3) + g.r.Float64()*math.Log(9))
	target := int(float64(SeedLen) * ratio)
	// fill stops up to one sentence short of the target, so keep the
	// target that far above the minimum.
	target = min(max(target, MinLen+maxSentenceLen), MaxLen)

	front := g.frontMatter(target)
	signed := func(hash string) string {
		return fmt.Sprintf("clinical_signoff:\n  by: %s\n  date: %s\n  sha256: %s\n", g.signedBy, g.signedOn, hash)
	}
	budget := target - len(front)
	if g.signedBy != "" {
		budget -= len(signed(strings.Repeat("0", 64)))
	}
	body := g.body(budget)
	if g.signedBy != "" {
		// A sign-off names the hash of the text approved, so it is written
		// once the body is known. None has lapsed: the corpus passes
		// healthsite check -strict (TestPassesTheChecks).
		front = strings.TrimSuffix(front, "---\n\n") + signed(content.ArticleTextHash(g.title, g.summary, []byte(body))) + "---\n\n"
	}
	return front + body, g.causes
}

// partOf is the body part article i is about: the one in its title.
func partOf(i int) bodyPart {
	k := (uint64(i)*titleStride + titleOffset) % titleSpace
	return bodyParts[(k/uint64(len(titleLeads)))%uint64(len(bodyParts))]
}

type gen struct {
	r     *rand.Rand
	i     int
	title string
	part  bodyPart
	ids   map[string]bool // heading ids used so far: they must be unique
	// causes are the cause sections made so far.
	causes []cause
	// summary is the front matter's; signedBy and signedOn the sign-off
	// to add once the body is made ("" for none).
	summary            string
	signedBy, signedOn string
}

// chance reports true with probability p.
func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

func (g *gen) pick(list []string) string { return list[g.r.IntN(len(list))] }

// date returns a YYYY-MM-DD day between from and to (inclusive), as day
// numbers from 2024-01-01; days are capped at 28 so every month has them.
func (g *gen) date(from, to int) (string, int) {
	d := from + g.r.IntN(to-from+1)
	y, m, day := 2024+d/(12*28), 1+(d/28)%12, 1+d%28
	return fmt.Sprintf("%04d-%02d-%02d", y, m, day), d
}

// dayOf is the day number date uses for a calendar day.
func dayOf(y, m, d int) int { return (y-2024)*12*28 + (m-1)*28 + d - 1 }

func (g *gen) frontMatter(target int) string {
	var b strings.Builder
	b.WriteString("---\n")
	fmt.Fprintf(&b, "title: %s\n", g.title)
	g.summary = fill(g.pick(summaries), strings.ToLower(g.title[:1])+g.title[1:])
	fmt.Fprintf(&b, "summary: %s\n", g.summary)
	fmt.Fprintf(&b, "author: %s\n", g.pick(authors))
	if g.chance(0.4) {
		g.signedBy = g.pick(reviewers)
	}
	// Published any time since 2024; reviewed in 2026 (after publication);
	// next review a year or two on, so the corpus is not overdue for review
	// (a checker warning) before 2027.
	published, pubDay := g.date(dayOf(2024, 1, 1), dayOf(2026, 6, 28))
	reviewed, _ := g.date(max(pubDay, dayOf(2026, 1, 1)), dayOf(2026, 10, 28))
	g.signedOn = reviewed
	fmt.Fprintf(&b, "published: %s\n", published)
	fmt.Fprintf(&b, "last_reviewed: %s\n", reviewed)
	fmt.Fprintf(&b, "next_review: %04d%s\n", 2026+1+g.r.IntN(2), reviewed[4:])

	tags := g.tags()
	fmt.Fprintf(&b, "tags: [%s]\n", strings.Join(tags, ", "))

	// Short articles get fewer sources so that their front matter leaves
	// room for a body.
	nSources := 1
	if target > 2500 {
		nSources = 1 + g.r.IntN(3)
	}
	b.WriteString("sources:\n")
	for s := range nSources {
		date, _ := g.date(dayOf(2024, 1, 1), pubDay)
		fmt.Fprintf(&b, "  - title: %s\n", fill(g.pick(sourceTitles), g.part.name))
		fmt.Fprintf(&b, "    publisher: %s\n", g.pick(publishers))
		fmt.Fprintf(&b, "    author: %s\n", g.pick(sourceAuthors))
		fmt.Fprintf(&b, "    date: %s\n", date)
		if g.chance(0.35) {
			fmt.Fprintf(&b, "    url: https://example.org/generated/%s/source-%d\n", contentfile.Slugify(g.title), s+1)
		}
	}
	if g.chance(0.15) {
		b.WriteString("image: share.png\n")
		fmt.Fprintf(&b, "image_alt: A generated placeholder picture for an article about the %s\n", g.part.name)
	}
	b.WriteString("---\n\n")
	return b.String()
}

// tags are 1 to 6 distinct tags, the first the body part of the title. The
// others lean towards the start of the vocabulary, so that, as on a real
// site, a few tags are common and most are rare.
func (g *gen) tags() []string {
	n := 1 + g.r.IntN(6)
	tags := []string{g.part.tag}
	seen := map[string]bool{g.part.tag: true}
	for len(tags) < n {
		u := g.r.Float64()
		t := tagVocabulary[int(u*u*float64(len(tagVocabulary)))]
		if !seen[t] {
			seen[t] = true
			tags = append(tags, t)
		}
	}
	return tags
}

// section is one "##" section being built: its heading line and blocks
// (paragraphs, lists, sub-headings), joined with blank lines.
type section struct {
	heading string
	blocks  []string
	urgent  bool
}

func (s *section) len() int {
	n := len(s.heading) + 2
	for _, b := range s.blocks {
		n += len(b) + 2
	}
	return n
}

func (g *gen) body(budget int) string {
	// More sections fit in a longer article; a short one keeps to a few.
	most := min(max(MinSections+(budget-700)/450, MinSections), MaxSections)
	least := max(MinSections, most-4)
	nSections := least + g.r.IntN(most-least+1)

	intro := &section{}
	intro.blocks = append(intro.blocks, wrap(g.sentences(2, 3)+" "+g.pick(disclaimers)))
	if g.chance(0.5) {
		intro.blocks = append(intro.blocks, wrap(fill(g.pick(urgentPointers), "#"+urgentID)))
	}

	var sections []*section
	general := nSections > MinSections && g.chance(0.45)
	nCauses := nSections - 1
	if general {
		nCauses--
	}
	for range nCauses {
		sections = append(sections, g.causeSection())
	}
	if general {
		sections = append(sections, g.generalSection())
	}
	urgent := &section{heading: "## When to get medical help", urgent: true}
	g.ids[urgentID] = true
	urgent.blocks = append(urgent.blocks, wrap(g.pick(urgentIntros)), g.list(2, 3, urgentItems))
	sections = append(sections, urgent)

	// Some articles show a picture in the body, and some link to another
	// article's care section, as real articles link to each other.
	if g.chance(0.2) {
		s := sections[g.r.IntN(len(sections))]
		s.blocks = append(s.blocks, fmt.Sprintf("![A generated placeholder picture standing in for a drawing of the %s](/static/share.png)", g.part.name))
	}
	if g.i > 0 && g.chance(0.2) {
		other := g.r.IntN(g.i)
		intro.blocks = append(intro.blocks, wrap(fmt.Sprintf("Another generated article, [%s](/articles/%s#%s), has the same kind of filler.", strings.ToLower(Title(other)), Slug(other), urgentID)))
	}

	// Grow the article a block at a time until it reaches its size; near
	// the end add single sentences so it lands just under the target.
	size := func() int {
		n := intro.len()
		for _, s := range sections {
			n += s.len()
		}
		return n
	}
	for size() < budget {
		s := sections[g.r.IntN(len(sections))]
		if s.urgent && g.chance(0.7) {
			continue // the care section stays short, as in real articles
		}
		block := g.filler()
		if size()+len(block)+2 > budget {
			block = g.sentence()
			if size()+len(block)+2 > budget {
				break
			}
		}
		s.blocks = append(s.blocks, block)
	}

	var b strings.Builder
	for _, blk := range intro.blocks {
		b.WriteString(blk)
		b.WriteString("\n\n")
	}
	for _, s := range sections {
		b.WriteString(s.heading)
		b.WriteString("\n\n")
		for _, blk := range s.blocks {
			b.WriteString(blk)
			b.WriteString("\n\n")
		}
	}
	return strings.TrimSuffix(b.String(), "\n")
}

const urgentID = "when-to-get-medical-help"

// heading returns a "##" or "###" heading whose id is new in this article,
// sometimes with an explicit {#id} as writers add to keep share links
// stable, with its title and id; ok is false when no new one was found.
func (g *gen) heading(level string, templates []string, attrs string) (h, title, id string, ok bool) {
	for range 8 {
		part := g.part
		if g.chance(0.4) {
			part = bodyParts[g.r.IntN(len(bodyParts))]
		}
		title = fill(g.pick(templates), part.name)
		id = contentfile.Slugify(title)
		explicit := g.chance(0.06)
		if explicit {
			id = shortID(title)
		}
		if g.ids[id] {
			continue
		}
		g.ids[id] = true
		h = level + " " + title
		switch {
		case explicit && attrs != "":
			h += " {#" + id + " " + attrs + "}"
		case explicit:
			h += " {#" + id + "}"
		case attrs != "":
			h += " {" + attrs + "}"
		}
		return h, title, id, true
	}
	return "", "", "", false
}

// shortID is an id a writer might choose: the first three words of the title.
func shortID(title string) string {
	words := strings.Split(contentfile.Slugify(title), "-")
	return strings.Join(words[:min(3, len(words))], "-")
}

func (g *gen) causeSection() *section {
	h, title, id, ok := g.heading("##", causeHeadings, "")
	if !ok {
		// Every template was taken: fall back on a numbered heading,
		// which is new by construction.
		n := len(g.ids)
		title = fmt.Sprintf("Generated cause number %d", n)
		h, id = "## "+title, contentfile.Slugify(title)
		g.ids[id] = true
	}
	g.causes = append(g.causes, cause{slug: Slug(g.i), id: id, title: title})
	s := &section{heading: h}
	switch k := g.r.IntN(8); {
	case k < 4: // the seed article's shape: bold lead-ins and a list
		s.blocks = append(s.blocks,
			wrap("**What happens:** "+g.sentences(1, 2)),
			wrap("**How it feels:** "+g.sentences(1, 2)),
			"**What helps:**\n\n"+g.list(2, 4, helpItems))
	case k < 6: // plain paragraphs
		s.blocks = append(s.blocks, g.paragraph(2, 4), g.paragraph(1, 3))
	default: // sub-headings, as a longer article splits a cause up
		s.blocks = append(s.blocks, g.paragraph(1, 2))
		for range 1 + g.r.IntN(2) {
			if sub, _, _, ok := g.heading("###", subHeadings, ""); ok {
				s.blocks = append(s.blocks, sub, g.paragraph(1, 3))
			}
		}
		if g.chance(0.5) {
			s.blocks = append(s.blocks, g.list(2, 4, helpItems))
		}
	}
	return s
}

func (g *gen) generalSection() *section {
	h, _, _, ok := g.heading("##", generalHeadings, ".general")
	if !ok {
		h = "## Looking after yourself {.general}"
	}
	return &section{heading: h, blocks: []string{wrap(g.pick(generalIntros)), g.list(3, 5, helpItems)}}
}

// filler is a block to grow a section with: mostly paragraphs, some lists.
func (g *gen) filler() string {
	if g.chance(0.2) {
		return wrap(g.pick(listIntros)) + "\n\n" + g.list(2, 5, helpItems)
	}
	return g.paragraph(2, 4)
}

func (g *gen) paragraph(least, most int) string { return wrap(g.sentences(least, most)) }

// sentences joins a few different sentences: a paragraph that says the
// same thing twice in a row looks machine-made even for filler.
func (g *gen) sentences(least, most int) string {
	n := least + g.r.IntN(most-least+1)
	s := make([]string, 0, n)
	for len(s) < n {
		t := g.sentence()
		if len(s) > 0 && t == s[len(s)-1] {
			continue
		}
		s = append(s, t)
	}
	return strings.Join(s, " ")
}

func (g *gen) list(least, most int, items []string) string {
	n := least + g.r.IntN(most-least+1)
	var b strings.Builder
	used := map[int]bool{}
	for k := 0; k < n; k++ {
		j := g.r.IntN(len(items))
		if used[j] {
			continue // a repeated item is dropped: the list is just shorter
		}
		used[j] = true
		if k > 0 {
			b.WriteByte('\n')
		}
		b.WriteString("- ")
		b.WriteString(fill(items[j], g.part.name))
	}
	return b.String()
}

// maxSentenceLen bounds what sentence returns, with its separator.
const maxSentenceLen = 120

// sentence is one short filler sentence in plain words, so the checker's
// readability limits hold; every word of it is made up by this program.
func (g *gen) sentence() string {
	t := g.pick(sentenceTemplates)
	var b strings.Builder
	for {
		open := strings.IndexByte(t, '{')
		if open < 0 {
			b.WriteString(t)
			return b.String()
		}
		end := open + strings.IndexByte(t[open:], '}')
		b.WriteString(t[:open])
		switch t[open+1 : end] {
		case "part":
			b.WriteString(g.part.name)
		case "other":
			b.WriteString(bodyParts[g.r.IntN(len(bodyParts))].name)
		case "noun":
			b.WriteString(g.pick(nouns))
		case "adj":
			b.WriteString(g.pick(adjectives))
		case "time":
			b.WriteString(g.pick(times))
		case "verb":
			b.WriteString(g.pick(verbs))
		default:
			panic("corpus: unknown placeholder in " + t)
		}
		t = t[end+1:]
	}
}

// wrap breaks text into lines of about 72 characters, as writers do.
func wrap(text string) string {
	var b strings.Builder
	col := 0
	for k, w := range strings.Fields(text) {
		if k > 0 {
			if col+1+len(w) > 72 {
				b.WriteByte('\n')
				col = 0
			} else {
				b.WriteByte(' ')
				col++
			}
		}
		b.WriteString(w)
		col += len(w)
	}
	return b.String()
}
