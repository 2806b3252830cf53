// Package yamldoc reads the YAML of SupportLab's content files (quiz and
// scenario files, lesson front matter) strictly and with line numbers: every
// unknown key, type mismatch or syntax error becomes a path:line problem that
// a trainer can act on.
package yamldoc

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
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
	if ps := noAliases(path, root, offset); ps != nil {
		return nil, ps
	}
	return root, nil
}

// noAliases reports every alias (*name) under n. Content files have no use
// for them, and refusing them keeps the line-aware checks simple: a node is
// always where it is written, and no alias can loop or blow up in size.
func noAliases(path string, n *yaml.Node, offset int) supportlab.Problems {
	var ps supportlab.Problems
	var walk func(*yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.AliasNode {
			ps.Add(path, n.Line+offset, "aliases (*%s) are not supported: write the value out", n.Value)
			return
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(n)
	return ps
}

var (
	yamlLine  = regexp.MustCompile(`line (\d+): (.*)`)
	typeError = regexp.MustCompile("^cannot unmarshal !!(\\w+)(?: `(.*)`)? into (.+)$")
)

// parserProblems are the messages of yaml's parser (as opposed to its
// scanner) errors. yaml reports their line 0-based, one less than the line
// a trainer sees, so Problems adds the missing one.
var parserProblems = []string{
	"did not find expected <stream-start>",
	"did not find expected <document start>",
	"did not find expected node content",
	"did not find expected '-' indicator",
	"did not find expected key",
	"did not find expected ',' or ']'",
	"did not find expected ',' or '}'",
	"found undefined tag handle",
	"found duplicate %YAML directive",
	"found incompatible YAML document",
	"found duplicate %TAG directive",
}

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
			if slices.Contains(parserProblems, sm[2]) {
				n++
			}
			ps.Add(path, n+offset, "%s", readable(sm[2]))
		} else {
			ps.Add(path, 1+offset, "%s", readable(m))
		}
	}
	return ps
}

// readable rewrites yaml's type errors ("cannot unmarshal !!str `x` into
// int") in words a trainer knows: "expected a whole number, not "x"".
func readable(msg string) string {
	sm := typeError.FindStringSubmatch(msg)
	if sm == nil {
		return msg
	}
	got := strconv.Quote(sm[2])
	switch sm[1] {
	case "seq":
		got = "a list"
	case "map":
		got = "a mapping of fields"
	}
	want := strings.TrimPrefix(sm[3], "*")
	switch {
	case strings.HasPrefix(want, "[]"):
		want = "a list"
	case strings.HasPrefix(want, "map[") || strings.HasPrefix(want, "struct") || strings.Contains(want, "."):
		want = "a mapping of fields"
	case strings.HasPrefix(want, "int") || strings.HasPrefix(want, "uint"):
		want = "a whole number"
	case strings.HasPrefix(want, "float"):
		want = "a number"
	case want == "bool":
		want = "true or false"
	case want == "string":
		want = "text"
	}
	return fmt.Sprintf("expected %s, not %s", want, got)
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
		if _, list := s["[]"]; list {
			return // a mapping where a list goes: a type error, reported by Decode or Seq
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
				hint := ""
				if meant := Suggest(k.Value, s); meant != "" {
					hint = fmt.Sprintf(" (did you mean %q?)", meant)
				}
				ps.Add(path, k.Line+offset, "unknown field %q%s", k.Value, hint)
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

// Suggest names the allowed key the trainer most likely meant by key: one
// that differs only in letter case ("iscorrect"), or else by at most two
// edits ("durationInMinute"). It returns "" when no key is close enough.
func Suggest(key string, s Schema) string {
	best, bestDist := "", 3
	for k := range s {
		if k == "*" || k == "[]" {
			continue
		}
		d := 0
		if !strings.EqualFold(k, key) {
			d = 1 + editDistance(strings.ToLower(k), strings.ToLower(key))
		}
		if d < bestDist || (d == bestDist && k < best) {
			best, bestDist = k, d
		}
	}
	if len(key) < 4 {
		return ""
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
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
