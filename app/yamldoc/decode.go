package yamldoc

import (
	"reflect"
	"strings"

	"go.yaml.in/yaml/v3"

	"supportlab/app/supportlab"
)

// Unread is the set of fields of one mapping that the file tried to give but
// that could not be read: a value of the wrong type, or a misspelt key (the
// field it was probably meant as). A loader skips its "field is missing"
// checks for these, so that one mistake in the file is one problem in the
// report, while every other field is still checked.
type Unread map[string]bool

// Whole, added to an Unread, marks the whole mapping as unreadable: it was a
// list or a text, or its key was misspelt.
const Whole = "*"

// Has reports whether key could not be read, or the whole mapping could not.
func (u Unread) Has(key string) bool { return u[key] || u[Whole] }

// Add marks key as unreadable; a nil Unread stays nil (nothing is recorded).
func (u Unread) Add(key string) {
	if u != nil {
		u[key] = true
	}
}

// Decode reads mapping n into the struct *out field by field, by the fields'
// yaml tags, so that a value of the wrong type spoils only its own field:
// every type error becomes a problem at its line and the other fields are
// still read. Keys without a tagged field are left to CheckKeys (which
// reports them); a key s would suggest for one of them is marked unread.
// Fields tagged "-" are the caller's to read (lists read item by item). A
// null node (an empty list item, a key without value) reads as nothing.
func Decode(path string, n *yaml.Node, out any, s Schema, offset int, ps *supportlab.Problems) Unread {
	u := Unread{}
	if n == nil || n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return u
	}
	if n.Kind != yaml.MappingNode {
		// The type error names what was found instead of a mapping.
		if err := n.Decode(out); err != nil {
			*ps = append(*ps, Problems(path, err, offset)...)
		}
		u.Add(Whole)
		return u
	}
	rv := reflect.ValueOf(out).Elem()
	rt := rv.Type()
	fields := map[string]int{}
	for i := range rt.NumField() {
		tag, _, _ := strings.Cut(rt.Field(i).Tag.Get("yaml"), ",")
		if tag != "" && tag != "-" {
			fields[tag] = i
		}
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		fi, ok := fields[k.Value]
		if !ok {
			if _, known := s[k.Value]; !known {
				if meant := Suggest(k.Value, s); meant != "" {
					u.Add(meant)
				}
			}
			continue
		}
		if err := v.Decode(rv.Field(fi).Addr().Interface()); err != nil {
			*ps = append(*ps, Problems(path, err, offset)...)
			u.Add(k.Value)
		}
	}
	return u
}

// Seq returns the items of the list n. A missing or null n is an empty list;
// anything else is a problem ("expected a list, not …") and ok is false, so
// that the caller does not also report the list as empty.
func Seq(path string, n *yaml.Node, offset int, ps *supportlab.Problems) (items []*yaml.Node, ok bool) {
	switch {
	case n == nil || n.Kind == yaml.ScalarNode && n.Tag == "!!null":
		return nil, true
	case n.Kind == yaml.SequenceNode:
		return n.Content, true
	}
	var list []any
	if err := n.Decode(&list); err != nil {
		*ps = append(*ps, Problems(path, err, offset)...)
	}
	return nil, false
}
