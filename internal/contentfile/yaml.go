package contentfile

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

var (
	yamlLine     = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)
	unknownField = regexp.MustCompile(`^field (\S+) not found in type .*$`)
	cannotDecode = regexp.MustCompile("^cannot unmarshal !!(\\w+)(?: `(.*)`)? into (.*)$")
)

// AddYAMLError turns yaml.v3's messages, whose line numbers count from the
// start of the YAML, into problems with file line numbers; firstLine is the
// file line where the YAML starts, and prefix starts each message.
func AddYAMLError(probs *Problems, file string, err error, firstLine int, prefix string) {
	var msgs []string
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs = te.Errors
	} else {
		msgs = []string{err.Error()}
	}
	for _, msg := range msgs {
		line := 1
		if m := yamlLine.FindStringSubmatch(msg); m != nil {
			n, _ := strconv.Atoi(m[1])
			line = n + firstLine - 1
			msg = m[2]
		}
		msg = strings.TrimPrefix(msg, "yaml: ")
		if m := unknownField.FindStringSubmatch(msg); m != nil {
			msg = fmt.Sprintf("unknown field %q", m[1])
		} else if m := cannotDecode.FindStringSubmatch(msg); m != nil {
			what := strconv.Quote(m[2])
			if m[2] == "" {
				what = yamlKinds[m[1]]
			}
			msg = fmt.Sprintf("%s is not %s", what, describeGoType(m[3]))
		}
		probs.Add(file, line, "%s%s", prefix, msg)
	}
}

// yamlKinds names YAML node kinds for readers who do not know YAML's tags.
var yamlKinds = map[string]string{"map": "a set of fields", "seq": "a list", "str": "text", "int": "a number", "bool": "yes/no", "float": "a number", "timestamp": "a date", "null": "nothing"}

// describeGoType names the Go type yaml.v3 could not decode into, in a
// writer's words.
func describeGoType(t string) string {
	switch {
	case strings.HasPrefix(t, "[]content.Source"):
		return "a list of sources"
	case strings.HasPrefix(t, "[]"):
		return "a list"
	case t == "content.Source":
		return "a source (title, publisher, author, date)"
	case t == "string":
		return "text"
	case strings.HasPrefix(t, "content.frontMatter"):
		return "a set of fields"
	default:
		return "the right kind of value"
	}
}

// knownFields are the yaml names of a struct's fields with their types,
// read once per type from its tags.
var knownFields sync.Map // reflect.Type -> map[string]reflect.Type

func fieldsOf(t reflect.Type) map[string]reflect.Type {
	if f, ok := knownFields.Load(t); ok {
		return f.(map[string]reflect.Type)
	}
	fields := map[string]reflect.Type{}
	for f := range t.Fields() {
		if name, _, _ := strings.Cut(f.Tag.Get("yaml"), ","); name != "" && name != "-" {
			fields[name] = f.Type
		}
	}
	knownFields.Store(t, fields)
	return fields
}

// Dates and nodes are read whole, not as mappings of fields.
var (
	dateType = reflect.TypeFor[Date]()
	nodeType = reflect.TypeFor[yaml.Node]()
)

// UnknownFields reports every field, at any depth of n, that t (the type
// n decodes into) does not have, with lines offset by lineOffset and each
// message after prefix: a misspelt "next_reveiw" must not be silently
// ignored. It is the one check of unknown fields for every YAML the site
// reads.
func UnknownFields(probs *Problems, file string, lineOffset int, prefix string, n *yaml.Node, t reflect.Type) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case n.Kind == yaml.MappingNode && t.Kind() == reflect.Struct && t != dateType && t != nodeType:
		fields := fieldsOf(t)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			ft, ok := fields[k.Value]
			if !ok {
				probs.Add(file, k.Line+lineOffset, "%sunknown field %q", prefix, k.Value)
				continue
			}
			UnknownFields(probs, file, lineOffset, prefix, n.Content[i+1], ft)
		}
	case n.Kind == yaml.SequenceNode && t.Kind() == reflect.Slice:
		for _, item := range n.Content {
			UnknownFields(probs, file, lineOffset, prefix, item, t.Elem())
		}
	}
}

// TopKeyLines maps each top-level key of a YAML document to its line.
func TopKeyLines(root *yaml.Node) map[string]int {
	out := map[string]int{}
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return out
	}
	m := root.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		out[m.Content[i].Value] = m.Content[i].Line
	}
	return out
}
