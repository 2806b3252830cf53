package quizbank

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"supportlab/app/supportlab"
)

// Imported quizzes come from formats that other quiz tools (Moodle above
// all) export. They are turned into the native structure and validated by
// the same rules as YAML files. GIFT and Aiken cannot say everything a native
// file can: the caller supplies uid, title and language.

// ImportMeta is what the importer knows about a GIFT or Aiken quiz that
// the format itself cannot carry.
type ImportMeta struct {
	UID   string
	Title string
	Lang  string
	// Explanations fill in choices that have no feedback in the file
	// (Aiken has none): right and wrong.
	RightExplanation string
	WrongExplanation string
}

// ParseGIFT reads a Moodle GIFT file with multiple-choice and true/false
// questions. "::name::" gives the question id; "=" marks a right answer, "~"
// a wrong one, "~%50%" a weighted one (positive weight = right), "#" the
// answer's feedback, which becomes its explanation. Other question types
// are reported as problems with their line.
func (b *Bank) ParseGIFT(path string, src []byte, meta ImportMeta) (*supportlab.Quiz, supportlab.Problems) {
	var ps supportlab.Problems
	f, ln := meta.quiz()
	for _, blk := range giftBlocks(src) {
		q, ql, err := parseGIFTQuestion(blk, len(f.Questions)+1, meta)
		if err != nil {
			ps.Add(path, err.line, "%s", err.msg)
			continue
		}
		f.Questions = append(f.Questions, q)
		ln.q = append(ln.q, ql)
	}
	if len(ps) > 0 {
		return nil, ps
	}
	return b.buildQuiz(path, f, ln, false)
}

// quiz starts the decoded quiz of an imported file: the fields meta gives,
// every problem with them reported on line 1 (the file has no such line).
func (meta ImportMeta) quiz() (quizFile, quizLines) {
	return quizFile{UID: meta.UID, Title: meta.Title, Lang: meta.Lang},
		quizLines{uid: 1, title: 1, lang: 1, module: 1, passPercent: 1, draw: 1, questions: 1}
}

// importLines splits an imported text file into lines, without its
// byte-order mark and whatever its line endings.
func importLines(src []byte) []string {
	text := strings.TrimPrefix(strings.ReplaceAll(string(src), "\r\n", "\n"), "\ufeff")
	return strings.Split(text, "\n")
}

type giftBlock struct {
	text string
	line int // first line of the block
}

type lineError struct {
	line int
	msg  string
}

// giftBlocks splits a GIFT file into questions: blocks separated by blank
// lines, without comment lines and $CATEGORY directives.
func giftBlocks(src []byte) []giftBlock {
	var out []giftBlock
	var cur []string
	start := 0
	flush := func() {
		if len(cur) > 0 {
			out = append(out, giftBlock{text: strings.Join(cur, "\n"), line: start})
		}
		cur = nil
	}
	inBraces := false
	for i, line := range importLines(src) {
		t := strings.TrimSpace(line)
		if !inBraces && (strings.HasPrefix(t, "//") || strings.HasPrefix(t, "$CATEGORY")) {
			continue
		}
		if t == "" && !inBraces {
			flush()
			continue
		}
		if len(cur) == 0 {
			start = i + 1
		}
		cur = append(cur, line)
		opens := strings.Count(unescapeless(line), "{")
		closes := strings.Count(unescapeless(line), "}")
		if opens > closes {
			inBraces = true
		} else if closes > opens || (opens > 0 && opens == closes) {
			// A line that closes the answer block ends the question,
			// even when no blank line follows (GIFT asks for one; files
			// exported by hand often forget it).
			inBraces = false
			flush()
		}
	}
	flush()
	return out
}

// unescapeless removes escaped characters so that counting braces ignores \{ and \}.
func unescapeless(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

var giftWeight = regexp.MustCompile(`^%(-?\d+(?:\.\d+)?)%`)

func parseGIFTQuestion(blk giftBlock, n int, meta ImportMeta) (questionFile, questionLines, *lineError) {
	text := blk.text
	ql := questionLines{start: blk.line, id: blk.line, content: blk.line, choices: blk.line}
	q := questionFile{ID: fmt.Sprintf("q%d", n)}
	if strings.HasPrefix(strings.TrimSpace(text), "::") {
		rest := strings.TrimSpace(text)[2:]
		end := indexUnescaped(rest, "::")
		if end < 0 {
			return q, ql, &lineError{blk.line, "question name is not closed by ::"}
		}
		if id := Slugify(unescapeGIFT(rest[:end])); id != "" {
			q.ID = id
		}
		text = rest[end+2:]
	}
	open := indexUnescaped(text, "{")
	if open < 0 {
		return q, ql, &lineError{blk.line, "question has no answer block { … } (only multiple-choice and true/false questions can be imported)"}
	}
	close := indexUnescaped(text[open:], "}")
	if close < 0 {
		return q, ql, &lineError{blk.line, "answer block is not closed by }"}
	}
	close += open
	answerLine := blk.line + strings.Count(blk.text[:len(blk.text)-len(text)+open], "\n")
	ql.choices = answerLine
	stem := strings.TrimSpace(text[:open] + " _____ " + text[close+1:])
	if strings.TrimSpace(text[close+1:]) == "" {
		stem = strings.TrimSpace(text[:open])
	}
	stem = strings.TrimPrefix(stem, "[markdown]")
	stem = strings.TrimPrefix(stem, "[moodle]")
	stem = strings.TrimPrefix(stem, "[plain]")
	q.Content = unescapeGIFT(strings.TrimSpace(stem))
	body := strings.TrimSpace(text[open+1 : close])

	switch strings.ToUpper(strings.SplitN(body, "#", 2)[0]) {
	case "T", "TRUE", "F", "FALSE":
		truth := strings.HasPrefix(strings.ToUpper(body), "T")
		fb := ""
		if parts := splitUnescaped(body, '#'); len(parts) > 1 {
			fb = unescapeGIFT(strings.TrimSpace(parts[1]))
		}
		q.Choices = []choiceFile{
			{Content: "True", IsCorrect: truth},
			{Content: "False", IsCorrect: !truth},
		}
		for i := range q.Choices {
			q.Choices[i].Explanation = fb
		}
		ql.choice = []int{answerLine, answerLine}
		fillExplanations(&q, meta)
		return q, ql, nil
	}

	for _, tok := range giftAnswers(body) {
		line := answerLine + strings.Count(body[:tok.offset], "\n") + 1
		if strings.Contains(tok.text, "->") {
			return q, ql, &lineError{line, "matching questions (->) cannot be imported; use multiple choice"}
		}
		c := choiceFile{}
		txt := tok.text
		weighted := false
		if m := giftWeight.FindStringSubmatch(txt); m != nil {
			w, _ := strconv.ParseFloat(m[1], 64)
			c.IsCorrect = w > 0
			txt = txt[len(m[0]):]
			weighted = true
		}
		if tok.mark == '=' && !weighted {
			c.IsCorrect = true
		}
		parts := splitUnescaped(txt, '#')
		c.Content = unescapeGIFT(strings.TrimSpace(parts[0]))
		if len(parts) > 1 {
			c.Explanation = unescapeGIFT(strings.TrimSpace(strings.Join(parts[1:], "#")))
		}
		q.Choices = append(q.Choices, c)
		ql.choice = append(ql.choice, line)
	}
	if len(q.Choices) == 0 {
		return q, ql, &lineError{answerLine, "answer block has no answers (= for right, ~ for wrong)"}
	}
	wrong := 0
	for _, c := range q.Choices {
		if !c.IsCorrect {
			wrong++
		}
	}
	if wrong == 0 {
		return q, ql, &lineError{answerLine, "short-answer questions (only = answers) cannot be imported; add wrong choices with ~"}
	}
	fillExplanations(&q, meta)
	return q, ql, nil
}

type giftAnswer struct {
	mark   byte
	text   string
	offset int
}

// giftAnswers splits an answer block at unescaped = and ~ marks.
func giftAnswers(body string) []giftAnswer {
	var out []giftAnswer
	cur := -1
	for i := 0; i < len(body); i++ {
		if body[i] == '\\' {
			i++
			continue
		}
		if body[i] == '=' || body[i] == '~' {
			if cur >= 0 {
				out[len(out)-1].text = body[cur+1 : i]
			}
			out = append(out, giftAnswer{mark: body[i], offset: i})
			cur = i
		}
	}
	if cur >= 0 {
		out[len(out)-1].text = body[cur+1:]
	}
	return out
}

func indexUnescaped(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i] == '\\' {
			i++
			continue
		}
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

func splitUnescaped(s string, sep byte) []string {
	var out []string
	last := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' {
			i++
			continue
		}
		if s[i] == sep {
			out = append(out, s[last:i])
			last = i + 1
		}
	}
	return append(out, s[last:])
}

var giftEscapes = strings.NewReplacer(`\:`, ":", `\~`, "~", `\=`, "=", `\#`, "#", `\{`, "{", `\}`, "}", `\n`, "\n", `\\`, `\`)

func unescapeGIFT(s string) string { return giftEscapes.Replace(s) }

// fillExplanations gives every choice without feedback the generic
// explanation of the import, so that the result page always explains.
func fillExplanations(q *questionFile, meta ImportMeta) {
	for i := range q.Choices {
		if strings.TrimSpace(q.Choices[i].Explanation) != "" {
			continue
		}
		if q.Choices[i].IsCorrect {
			q.Choices[i].Explanation = meta.RightExplanation
		} else {
			q.Choices[i].Explanation = meta.WrongExplanation
		}
	}
}

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

// Slugify turns a name ("Q1: Who files?", "my quiz.gift") into the
// lower-case, dash-separated form uids and question ids take.
func Slugify(s string) string {
	s = strings.ToLower(s)
	s = strings.NewReplacer("à", "a", "â", "a", "ä", "a", "é", "e", "è", "e", "ê", "e", "ë", "e",
		"î", "i", "ï", "i", "ô", "o", "ö", "o", "ù", "u", "û", "u", "ü", "u", "ç", "c").Replace(s)
	return strings.Trim(nonSlug.ReplaceAllString(s, "-"), "-")
}
