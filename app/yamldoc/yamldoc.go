// Package yamldoc reads the YAML of SupportLab's content files (quiz and
// scenario files, lesson front matter) strictly and with line numbers: every
// unknown key, type mismatch or syntax error becomes a path:line problem that
// a trainer can act on.
package yamldoc

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"supportlab/app/supportlab"
)

// Schema lists the keys a YAML mapping may have; a key maps to the schema of
// its value (nil for a scalar or a value we do not inspect). A sequence's
// items are described by the special key "[]".
type Schema map[string]Schema

// AnyKeys accepts any key, for free-form maps such as Learn's metadata.
var AnyKeys = Schema{"*": nil}

// Parse reads one YAML document whose top is a mapping. Syntax errors come
// back as problems; offset is added to every line (front matter starts on
// the file's second line).
func Parse(path string, src []byte, offset int) (*yaml.Node, supportlab.Problems) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, Problems(path, err, offset)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		var ps supportlab.Problems
		ps.Add(path, 1+offset, "file is empty")
		return nil, ps
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		var ps supportlab.Problems
		ps.Add(path, root.Line+offset, "expected a mapping of fields (uid, title, …) at the top of the file")
		return nil, ps
	}
	return root, nil
}

var yamlLine = regexp.MustCompile(`line (\d+): (.*)`)

// Problems turns a yaml error into path:line problems, adding offset to the
// lines yaml reports.
func Problems(path string, err error, offset int) supportlab.Problems {
	var ps supportlab.Problems
	var te *yaml.TypeError
	msgs := []string{err.Error()}
	if errors.As(err, &te) {
		msgs = te.Errors
	}
	for _, m := range msgs {
		m = strings.TrimPrefix(m, "yaml: ")
		if sm := yamlLine.FindStringSubmatch(m); sm != nil {
			n, _ := strconv.Atoi(sm[1])
			ps.Add(path, n+offset, "%s", sm[2])
		} else {
			ps.Add(path, 1+offset, "%s", m)
		}
	}
	return ps
}

// CheckKeys reports every key of n (recursively) that s does not allow, with
// a suggestion when only the letter case is wrong ("iscorrect"), and keys
// given twice. offset is added to lines.
func CheckKeys(path string, n *yaml.Node, s Schema, offset int, ps *supportlab.Problems) {
	if s == nil || n == nil {
		return
	}
	switch n.Kind {
	case yaml.MappingNode:
		if _, ok := s["*"]; ok {
			return
		}
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if seen[k.Value] {
				ps.Add(path, k.Line+offset, "field %q appears twice", k.Value)
			}
			seen[k.Value] = true
			sub, ok := s[k.Value]
			if !ok {
				ps.Add(path, k.Line+offset, "unknown field %q%s", k.Value, suggest(k.Value, s))
				continue
			}
			CheckKeys(path, v, sub, offset, ps)
		}
	case yaml.SequenceNode:
		if item, ok := s["[]"]; ok {
			for _, c := range n.Content {
				CheckKeys(path, c, item, offset, ps)
			}
		}
	}
}

func suggest(key string, s Schema) string {
	for k := range s {
		if strings.EqualFold(k, key) {
			return fmt.Sprintf(" (did you mean %q?)", k)
		}
	}
	return ""
}

// Field returns the value node of key in mapping n, or nil.
func Field(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// LineOf returns the line of key's value in n, or fallback when the key is
// missing: a missing field is reported where its parent starts.
func LineOf(n *yaml.Node, key string, fallback int) int {
	if v := Field(n, key); v != nil {
		return v.Line
	}
	if n != nil {
		return n.Line
	}
	return fallback
}

// Items returns the items of the sequence at key, or nil.
func Items(n *yaml.Node, key string) []*yaml.Node {
	v := Field(n, key)
	if v == nil || v.Kind != yaml.SequenceNode {
		return nil
	}
	return v.Content
}
