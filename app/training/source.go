package training

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode"

	"supportlab/app/supportlab"
)

// A version of a quiz or scenario is stored as its graded content (the
// canonical JSON of quizbank.Body), and, when a trainer saved it, as the
// text they saved. A version made by a file the app was started with and
// since changed has only the JSON: sourceFromBody writes it back as the
// native YAML format, so that the editor, the source download, the diff
// and a restore all work on a text a trainer can read.

// bodyQuiz and bodyScenario are the canonical JSON of a version.
type bodyQuiz struct {
	UID, Title, Lang, Module string
	PassPercent, Draw        int
	Shuffle                  bool
	Questions                []struct {
		ID, Content string
		Shuffle     *bool
		Choices     []struct {
			Content, Explanation string
			IsCorrect            bool
		}
	}
}

type bodyScenario struct {
	UID, Title, Lang, Situation, Explanation string
	Expect                                   supportlab.Expectation
}

// questionCount is the number of questions a version's body holds, -1 for
// a scenario or a body that cannot be read.
func questionCount(kind string, body []byte) int {
	if kind != supportlab.KindQuiz {
		return -1
	}
	var q struct{ Questions []json.RawMessage }
	if err := json.Unmarshal(body, &q); err != nil {
		return -1
	}
	return len(q.Questions)
}

// sourceFromBody writes a version's body as a native YAML file.
func sourceFromBody(kind string, body []byte) ([]byte, error) {
	var w yamlWriter
	if kind == supportlab.KindSandbox {
		var sc bodyScenario
		if err := json.Unmarshal(body, &sc); err != nil {
			return nil, fmt.Errorf("training: version body: %w", err)
		}
		w.field(0, "uid", sc.UID)
		w.field(0, "title", sc.Title)
		w.field(0, "lang", sc.Lang)
		w.field(0, "situation", sc.Situation)
		w.line(0, "expect:")
		w.field(1, "action", sc.Expect.Action)
		w.optional(1, "product", sc.Expect.Product)
		w.optional(1, "severity", sc.Expect.Severity)
		w.field(0, "explanation", sc.Explanation)
		return w.buf.Bytes(), nil
	}
	var q bodyQuiz
	if err := json.Unmarshal(body, &q); err != nil {
		return nil, fmt.Errorf("training: version body: %w", err)
	}
	w.field(0, "uid", q.UID)
	w.field(0, "title", q.Title)
	w.field(0, "lang", q.Lang)
	w.optional(0, "module", q.Module)
	w.line(0, fmt.Sprintf("passPercent: %d", q.PassPercent))
	if q.Shuffle {
		w.line(0, "shuffle: true")
	}
	if q.Draw > 0 {
		w.line(0, fmt.Sprintf("draw: %d", q.Draw))
	}
	w.line(0, "questions:")
	for _, qq := range q.Questions {
		w.item(0, "id", qq.ID)
		w.field(1, "content", qq.Content)
		if qq.Shuffle != nil {
			w.line(1, fmt.Sprintf("shuffle: %t", *qq.Shuffle))
		}
		w.line(1, "choices:")
		for _, c := range qq.Choices {
			w.item(1, "content", c.Content)
			if c.IsCorrect {
				w.line(2, "isCorrect: true")
			}
			w.optional(2, "explanation", c.Explanation)
		}
	}
	return w.buf.Bytes(), nil
}

// yamlWriter writes the few shapes of YAML a quiz file needs, two spaces
// per level (a list item's keys sit one level in from its dash).
type yamlWriter struct{ buf bytes.Buffer }

func (w *yamlWriter) line(level int, s string) {
	w.buf.WriteString(strings.Repeat("  ", level))
	w.buf.WriteString(s)
	w.buf.WriteByte('\n')
}

// field writes key: value at level.
func (w *yamlWriter) field(level int, key, value string) {
	w.scalar(strings.Repeat("  ", level)+key+":", level+1, value)
}

// optional writes a field unless its value is empty.
func (w *yamlWriter) optional(level int, key, value string) {
	if value != "" {
		w.field(level, key, value)
	}
}

// item starts a list item at level with its first field.
func (w *yamlWriter) item(level int, key, value string) {
	w.scalar(strings.Repeat("  ", level)+"- "+key+":", level+2, value)
}

// scalar writes value after head: a text of several lines as a literal
// block (indented at level, one level in from its key), anything else as a double-quoted string,
// which YAML reads with JSON's escapes.
func (w *yamlWriter) scalar(head string, level int, value string) {
	if block, ok := literalBlock(value, strings.Repeat("  ", level)); ok {
		w.buf.WriteString(head + " " + block)
		return
	}
	var q bytes.Buffer
	enc := json.NewEncoder(&q)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(value) // a string always encodes; Encode adds the newline
	w.buf.WriteString(head + " ")
	w.buf.Write(q.Bytes())
}

// literalBlock writes value as a YAML literal block scalar when it reads
// back exactly: several lines, printable, no carriage return, no line
// that is only spaces (YAML would take them as indentation), and the
// right chomping indicator for its final line breaks.
func literalBlock(value, indent string) (string, bool) {
	if !strings.Contains(strings.TrimRight(value, "\n"), "\n") {
		return "", false
	}
	for _, r := range value {
		if r != '\n' && (r == '\r' || r == '\ufeff' || !unicode.IsPrint(r) && r != '\t' && r != ' ') {
			return "", false
		}
	}
	body := strings.TrimRight(value, "\n")
	for _, l := range strings.Split(body, "\n") {
		if l != "" && strings.TrimLeft(l, " ") == "" || strings.HasPrefix(l, "\t") {
			return "", false
		}
	}
	header := "|"
	if strings.HasPrefix(body, " ") {
		header += "2" // the indentation cannot be read from a first line that starts with spaces
	}
	switch trailing := len(value) - len(body); {
	case trailing == 0:
		header += "-"
	case trailing > 1:
		header += "+"
	}
	var b strings.Builder
	b.WriteString(header + "\n")
	for _, l := range strings.Split(strings.TrimSuffix(value, "\n"), "\n") {
		if l != "" {
			b.WriteString(indent + l)
		}
		b.WriteByte('\n')
	}
	return b.String(), true
}
