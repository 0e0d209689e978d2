package corpus

import (
	"strings"

	"healthsite/internal/contentfile"
)

// The word lists below are what generated articles are made of. They name
// body parts and everyday situations so that titles, tags and headings look
// like a real library's, but every sentence says it is filler: no list
// here names a medicine, a dose or a treatment.

// bodyPart is what an article is about: its name in a sentence and its tag.
type bodyPart struct{ name, tag string }

var bodyParts = func() []bodyPart {
	names := []string{
		"nape", "upper back", "lower back", "shoulder", "shoulder blade",
		"collarbone", "elbow", "forearm", "upper arm", "wrist", "hand",
		"palm", "thumb", "finger", "knuckle", "hip", "groin", "buttock",
		"tailbone", "thigh", "hamstring", "knee", "kneecap", "back of the knee",
		"calf", "shin", "ankle", "Achilles tendon", "heel", "foot",
		"arch of the foot", "ball of the foot", "big toe", "little toe", "jaw",
		"chin", "cheek", "scalp", "forehead", "temple", "eyelid", "eye",
		"ear", "earlobe", "nose", "lip", "tongue", "gum", "throat", "chest",
		"breastbone", "rib cage", "side", "belly", "navel", "armpit", "spine",
		"skin", "fingernail", "toenail", "inner thigh", "outer hip",
		"front of the shoulder", "base of the skull",
	}
	parts := make([]bodyPart, len(names))
	for i, n := range names {
		parts[i] = bodyPart{name: n, tag: contentfile.Slugify(n)}
	}
	return parts
}()

// tagVocabulary is every tag an article can have, commonest first: topics,
// then body parts, then a body part with a complaint. About 330 tags.
var tagVocabulary = func() []string {
	tags := []string{
		"muscles-and-joints", "posture", "exercise", "sleep", "work", "sport",
		"daily-care", "stretching", "walking", "running", "massage",
		"older-adults", "children", "cold-weather", "lifting", "sitting",
		"travel", "driving", "gardening", "office", "screen-time", "typing",
		"phone-use", "stairs", "falls", "bending", "kneeling", "standing",
		"carrying", "swimming", "cycling", "dancing", "yoga", "home-care",
		"self-care", "recovery", "rest", "stress", "tiredness", "cramp",
		"strain", "sprain", "bruises", "swelling", "stiffness", "numbness",
		"tingling", "itching", "redness", "headache", "hearing", "eyesight",
		"teeth", "mouth", "breathing", "digestion", "circulation", "nerves",
		"tendons", "ligaments", "bones", "cartilage", "joints", "skin-care",
		"footwear", "hydration", "hot-weather", "housework", "music",
		"teenagers", "pregnancy", "first-aid", "when-to-see-a-doctor",
		"urgent-care", "long-term-conditions", "injury", "overuse", "ageing",
		"weather", "hobbies",
	}
	for _, p := range bodyParts {
		tags = append(tags, p.tag)
	}
	for _, complaint := range []string{"pain", "stiffness", "injury"} {
		for _, p := range bodyParts {
			tags = append(tags, p.tag+"-"+complaint)
		}
	}
	return tags
}()

// titleLeads start titles with as many letters of the alphabet as an A to
// Z index has; %s is the body part.
var titleLeads = []string{
	"Aching %s", "A stiff %s", "Bruising on the %s", "Burning feeling in the %s",
	"Clicking in the %s", "Cramp in the %s", "Dull ache in the %s",
	"Everyday care of the %s", "Feeling of pressure in the %s",
	"Gentle movement for a sore %s", "How the %s recovers", "Itching around the %s",
	"Jolts of pain in the %s", "Keeping the %s comfortable", "Living with a tender %s",
	"Mild swelling of the %s", "Numbness in the %s", "Odd feelings in the %s",
	"Pain in the %s", "Pins and needles in the %s", "Questions about a sore %s",
	"Redness around the %s", "Sore %s", "Stiffness in the %s", "Tightness in the %s",
	"Throbbing %s", "Understanding a sore %s", "Visible swelling of the %s",
	"Weakness in the %s", "Why the %s aches", "X-rays and the %s",
	"Your %s and daily habits", "Zones of tenderness in the %s", "Easing a tired %s",
}

// titleContexts end titles; the empty one leaves a title at its lead.
var titleContexts = []string{
	"", "after a long walk", "after lifting", "after sitting for hours",
	"in the morning", "at night", "after sport", "in cold weather",
	"after a fall", "when climbing stairs", "after gardening",
	"after a long drive", "when typing", "after sleeping badly",
	"in older adults", "in children", "after a massage", "after swimming",
	"after running", "when bending down", "at work", "while travelling",
	"after a cold", "after cycling", "after dancing", "after carrying bags",
	"after housework", "on waking", "when kneeling", "after a long flight",
	"in hot weather", "after standing all day", "after yoga",
	"when reaching up", "after moving house", "in teenagers",
	"after painting a ceiling", "after playing music", "after a long hike",
	"after clearing snow", "after a new job", "during exams",
	"after a day at the beach", "after decorating", "after a bike ride",
	"when sneezing", "after a football match", "after a tennis game",
}

var summaries = []string{
	"Generated filler about %s, made to test the site with many articles. It is not health advice.",
	"A made-up article on %s for testing the site; nothing in it is health advice.",
	"Test text about %s. A program wrote it, and it is not health advice.",
}

var authors = []string{"Healthsite load generator", "Generated writer A", "Generated writer B", "Test content team"}

var reviewers = []string{"Generated reviewer (not a clinician)", "Placeholder reviewer, test data", "Dr Test Example (made up)"}

var sourceTitles = []string{
	"Generated notes on the %s", "A made-up guide to the %s", "Sample source about the %s",
	"Test reference on the %s", "Placeholder paper on the %s",
}

var publishers = []string{"Example Health Library (generated)", "Sample Press (test data)", "Placeholder Clinic Notes", "Generated Source House"}

var sourceAuthors = []string{"Generated author A", "Test writer B", "Sample author C", "Placeholder editor D"}

var disclaimers = []string{
	"This page is generated filler for testing the site. It is not health advice.",
	"A program wrote this page to test the site with many articles. It is not health advice.",
	"Everything on this page is made up for testing and is not health advice.",
}

// urgentPointers link the intro to the care section, as the seed does; %s
// is the fragment.
var urgentPointers = []string{
	"For the made-up signs that a real article would list, see [when to get medical help](%s).",
	"The generated filler ends with [when to get medical help](%s), as every article does.",
}

var causeHeadings = []string{
	"Strained muscles around the %s", "Stiff joints near the %s", "Irritated nerves near the %s",
	"Overuse of the %s", "Posture and the %s", "A knock to the %s", "Swelling around the %s",
	"Tight tissue over the %s", "Cold and the %s", "Long hours sitting", "Sudden twists and turns",
	"Worn joint surfaces", "Sleep position", "Weak supporting muscles", "Repeated small movements",
	"Dry skin over the %s", "Pressure from tight clothes", "Heavy bags and the %s", "Too much too soon",
	"Not enough rest", "Old injuries to the %s", "Changes with age", "Footwear and the %s",
	"Screen time and the %s", "Tension from stress", "Carrying a child on one side", "Cold draughts",
	"A new exercise routine", "Awkward lifting", "Long journeys", "Chairs that do not fit",
}

var subHeadings = []string{
	"What the text says about the %s", "How it starts", "How it may feel", "What a real article would add",
	"Where it is felt", "How long it lasts in this example", "Why the %s is named here",
	"Signs the text stands in for", "More filler about the %s", "A second look at the %s", "Notes for testing",
}

var generalHeadings = []string{
	"Looking after yourself", "Looking after your %s every day", "Daily habits for the %s",
	"Everyday care", "Helping yourself at home", "Rest and movement",
}

var generalIntros = []string{
	"This generated section is filler where daily care would go. It is not advice:",
	"A real article would list habits here. These lines are made up:",
}

var listIntros = []string{
	"The program adds a list here to test lists:",
	"A made-up list follows:",
	"Here is some generated list text:",
}

var urgentIntros = []string{
	"This generated section stands in for the signs that need a doctor. It is filler, not advice:",
	"A real article lists here when to see a doctor. These lines are made up:",
}

var urgentItems = []string{
	"a generated sign that stands in for a real warning sign",
	"a second made-up sign, used only to fill the list",
	"filler text where a real article names a sign to watch for",
	"a placeholder line about the %s, not a real sign",
	"a test line that a writer would replace with facts from a source",
}

var helpItems = []string{
	"a generated tip about the %s, not real advice",
	"a filler line where a real tip would go",
	"a made-up step that only tests the list",
	"a short placeholder item",
	"another generated item about the %s",
	"a line of test text",
	"a sample item to make the list longer",
	"a filler point that a real writer would replace",
}

// sentenceTemplates are filled in by sentence. They use short words, so a
// section reads at a low grade, and each says in its own way that the text
// is made up.
var sentenceTemplates = []string{
	"This generated text stands in for what a real article says about the {part}.",
	"It is filler made by a program, and it is not health advice.",
	"A real article would explain this part in plain words.",
	"The {noun} here is {adj} only to test the page.",
	"None of these words come from a doctor.",
	"The {part} is named so the page looks like a real one.",
	"A writer would {verb} this line with facts from a source.",
	"Short lines like this one keep the test text easy to read.",
	"This sentence fills space, as if it were about the {part} {time}.",
	"The {other} is named here only by chance.",
	"Nothing on this page tells you what to do.",
	"Test text like this shows how the site copes with many pages.",
	"A {adj} {noun} is the kind of thing a real page might hold.",
	"This part of the page is made up, like the rest of it.",
	"The program picks words at random to fill the page.",
	"Here a real article would say how the {part} feels {time}.",
	"These lines are not a guide to the {part} or the {other}.",
	"The text goes on a little longer to make the page the right size.",
	"Each generated page has its own mix of words.",
	"You can skip this {noun}: it says nothing real.",
}

var nouns = []string{"word", "line", "note", "step", "list", "part", "page", "term", "point", "phrase", "example"}

var adjectives = []string{"short", "plain", "simple", "made-up", "sample", "spare", "rough", "small", "brief"}

var times = []string{"in the morning", "at night", "after a long day", "during a walk", "at work", "at the weekend", "on a cold day"}

var verbs = []string{"replace", "check", "rewrite", "fill in", "swap", "change", "improve"}

// fill puts a body part into a template that may or may not have a %s.
func fill(template, part string) string { return strings.ReplaceAll(template, "%s", part) }
