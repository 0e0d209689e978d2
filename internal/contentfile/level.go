package contentfile

// Level is how urgently something needs medical help: a red flag of the
// symptom checker, or an article's "When to get medical help" section.
// The zero Level is no level, so a value never set is never taken for an
// emergency.
type Level int

// Levels, most urgent first: sorting by Level puts emergencies on top.
const (
	Emergency Level = iota + 1
	Urgent
	Soon
)

var levelNames = map[string]Level{"emergency": Emergency, "urgent": Urgent, "soon": Soon}

// ParseLevel reads a level as files write it: emergency, urgent or soon.
func ParseLevel(name string) (Level, bool) {
	l, ok := levelNames[name]
	return l, ok
}

func (l Level) String() string {
	for name, v := range levelNames {
		if v == l {
			return name
		}
	}
	return "unknown"
}
