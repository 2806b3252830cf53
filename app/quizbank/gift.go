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
}

// ParseGIFT reads a Moodle GIFT file with multiple-choice and true/false
// questions. "::name::" gives the question id; "=" marks a right answer, "~"
// a wrong one, "~%50%" a weighted one (positive weight = right), "#" the
// answer's feedback, which becomes its explanation, and "####" the
// question's general feedback, which explains the choices that have none. A
// true/false question is {T}, {TRUE}, {F} or {FALSE}, optionally followed by
// "#feedback for the wrong answer#feedback for the right answer", as in
// Moodle. Choices without feedback keep an empty explanation. Other question
// types are reported as problems with their line; every problem of the file
// is reported.
func (b *Bank) ParseGIFT(path string, src []byte, meta ImportMeta) (*supportlab.Quiz, supportlab.Problems) {
	if ps := checkSize(path, int64(len(src))); ps != nil {
		return nil, ps
	}
	var ps supportlab.Problems
	f, qs := meta.quiz()
	qs.correctHint = "mark a right answer with = or a positive %weight%"
	blocks, total, extra := giftBlocks(src, supportlab.MaxQuestions)
	qs.total, qs.extra = total, extra
	for i, blk := range blocks {
		q, ql, err := parseGIFTQuestion(blk, i+1, meta.Lang)
		if err != nil {
			ps.Add(path, err.line, "%s", err.msg)
			continue
		}
		f.Questions = append(f.Questions, q)
		qs.q = append(qs.q, ql)
	}
	return b.buildQuiz(path, f, qs, ps)
}

// quiz starts the decoded quiz of an imported file: the fields meta gives,
// every problem with them reported on line 1 (the file has no such line).
// Choices of imported formats may have no explanation.
func (meta ImportMeta) quiz() (quizFile, quizSource) {
	return quizFile{UID: meta.UID, Title: meta.Title, Lang: meta.Lang},
		quizSource{uid: 1, title: 1, lang: 1, module: 1, passPercent: 1, draw: 1, questions: 1, optionalExplanations: true}
}

// importText is an imported text file without its byte-order mark and with
// Unix line ends, whatever it had.
func importText(src []byte) string {
	return strings.TrimPrefix(strings.ReplaceAll(string(src), "\r\n", "\n"), "\ufeff")
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
// lines, without comment lines and $CATEGORY directives. Only the first
// limit blocks are kept; the others are counted (total) and the line of the
// first of them returned (extra), so that an oversized file costs a scan.
func giftBlocks(src []byte, limit int) (blocks []giftBlock, total, extra int) {
	var cur []string
	start, open := 0, false
	flush := func() {
		if !open {
			return
		}
		total++
		switch {
		case total <= limit:
			blocks = append(blocks, giftBlock{text: strings.Join(cur, "\n"), line: start})
		case total == limit+1:
			extra = start
		}
		cur, open = cur[:0], false
	}
	inBraces := false
	n := 0
	for line := range strings.Lines(importText(src)) {
		n++
		line = strings.TrimSuffix(line, "\n")
		t := strings.TrimSpace(line)
		if !inBraces && (strings.HasPrefix(t, "//") || strings.HasPrefix(t, "$CATEGORY")) {
			continue
		}
		if t == "" && !inBraces {
			flush()
			continue
		}
		if !open {
			start, open = n, true
		}
		if total < limit {
			cur = append(cur, line)
		}
		bare := unescapeless(line)
		opens, closes := strings.Count(bare, "{"), strings.Count(bare, "}")
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
	return blocks, total, extra
}

// unescapeless removes escaped characters so that counting braces ignores \{ and \}.
func unescapeless(s string) string {
	if !strings.Contains(s, "\\") {
		return s
	}
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

// trueFalse are the choices of a true/false question, in the quiz's language.
var trueFalse = map[string][2]string{"en": {"True", "False"}, "fr": {"Vrai", "Faux"}}

// parseGIFTQuestion reads the n-th question block of a GIFT file.
func parseGIFTQuestion(blk giftBlock, n int, lang string) (questionFile, questionSource, *lineError) {
	text := blk.text
	// lineAt is the file line of an offset in blk.text; text is always a
	// suffix of it.
	lineAt := func(off int) int { return blk.line + strings.Count(blk.text[:off], "\n") }
	ql := questionSource{start: blk.line, id: blk.line, content: blk.line, choices: blk.line}
	q := questionFile{ID: fmt.Sprintf("q%d", n)}
	if t := strings.TrimLeft(text, " \t"); strings.HasPrefix(t, "::") {
		rest := t[2:]
		end := indexUnescaped(rest, "::")
		if end < 0 {
			return q, ql, &lineError{blk.line, "question name is not closed by ::"}
		}
		if id := Slugify(unescapeGIFT(rest[:end])); id != "" {
			q.ID = id
		}
		text = rest[end+2:]
	}
	base := len(blk.text) - len(text)
	open := indexUnescaped(text, "{")
	if open < 0 {
		return q, ql, &lineError{blk.line, "question has no answer block { … } (only multiple-choice and true/false questions can be imported)"}
	}
	close := indexUnescaped(text[open:], "}")
	if close < 0 {
		return q, ql, &lineError{lineAt(base + open), "answer block is not closed by }"}
	}
	close += open
	answerLine := lineAt(base + open)
	ql.choices = answerLine
	stem := strings.TrimSpace(text[:open] + " _____ " + text[close+1:])
	if strings.TrimSpace(text[close+1:]) == "" {
		stem = strings.TrimSpace(text[:open])
	}
	stem = strings.TrimPrefix(stem, "[markdown]")
	stem = strings.TrimPrefix(stem, "[moodle]")
	stem = strings.TrimPrefix(stem, "[plain]")
	q.Content = unescapeGIFT(strings.TrimSpace(stem))
	body := text[open+1 : close]
	bodyAt := base + open + 1 // offset of body in blk.text

	// "####" starts the question's general feedback (the last one, as in
	// Moodle): it explains every choice that has no feedback of its own.
	general := ""
	if g := lastIndexUnescaped(body, "####"); g >= 0 {
		general = unescapeGIFT(strings.TrimSpace(body[g+4:]))
		body = body[:g]
	}
	explain := func(fb string) string {
		if fb == "" {
			return general
		}
		return fb
	}

	if strings.HasPrefix(strings.TrimSpace(body), "#") {
		return q, ql, &lineError{answerLine, "numerical questions ({#…}) cannot be imported; use multiple choice"}
	}
	parts := splitUnescaped(body, '#')
	switch strings.ToUpper(strings.TrimSpace(parts[0])) {
	case "T", "TRUE", "F", "FALSE":
		// {TRUE#shown for the wrong answer#shown for the right answer}
		truth := strings.HasPrefix(strings.ToUpper(strings.TrimSpace(parts[0])), "T")
		wrongFB, rightFB := "", ""
		if len(parts) > 1 {
			wrongFB = unescapeGIFT(strings.TrimSpace(parts[1]))
		}
		if len(parts) > 2 {
			rightFB = unescapeGIFT(strings.TrimSpace(strings.Join(parts[2:], "#")))
		}
		words, ok := trueFalse[lang]
		if !ok {
			words = trueFalse["en"]
		}
		yes := choiceFile{Content: words[0], IsCorrect: truth}
		no := choiceFile{Content: words[1], IsCorrect: !truth}
		if truth {
			yes.Explanation, no.Explanation = explain(rightFB), explain(wrongFB)
		} else {
			yes.Explanation, no.Explanation = explain(wrongFB), explain(rightFB)
		}
		q.Choices = []choiceFile{yes, no}
		ql.choice = []choiceSource{{line: answerLine}, {line: answerLine}}
		ql.total = 2
		return q, ql, nil
	}

	wrong := 0
	for _, tok := range giftAnswers(body) {
		line := lineAt(bodyAt + tok.offset)
		if strings.Contains(tok.text, "->") {
			return q, ql, &lineError{line, "matching questions (->) cannot be imported; use multiple choice"}
		}
		c := choiceFile{}
		txt := strings.TrimSpace(tok.text)
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
		if !c.IsCorrect {
			wrong++
		}
		ql.total++
		if len(q.Choices) == supportlab.MaxChoices {
			continue // counted for the message, not kept
		}
		fb := splitUnescaped(txt, '#')
		c.Content = unescapeGIFT(strings.TrimSpace(fb[0]))
		if len(fb) > 1 {
			c.Explanation = unescapeGIFT(strings.TrimSpace(strings.Join(fb[1:], "#")))
		}
		c.Explanation = explain(c.Explanation)
		q.Choices = append(q.Choices, c)
		ql.choice = append(ql.choice, choiceSource{line: line})
	}
	if ql.total == 0 {
		return q, ql, &lineError{answerLine, "answer block has no answers (= for right, ~ for wrong)"}
	}
	if wrong == 0 {
		return q, ql, &lineError{answerLine, "short-answer questions (only = answers) cannot be imported; add wrong choices with ~"}
	}
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

// lastIndexUnescaped is the offset of the last unescaped sub in s, or -1.
func lastIndexUnescaped(s, sub string) int {
	last := -1
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i] == '\\' {
			i++
			continue
		}
		if s[i:i+len(sub)] == sub {
			last = i
		}
	}
	return last
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

var (
	nonSlug = regexp.MustCompile(`[^a-z0-9]+`)
	nonUID  = regexp.MustCompile(`[^a-z0-9.]+`)
	accents = strings.NewReplacer("à", "a", "â", "a", "ä", "a", "é", "e", "è", "e", "ê", "e", "ë", "e",
		"î", "i", "ï", "i", "ô", "o", "ö", "o", "ù", "u", "û", "u", "ü", "u", "ç", "c")
)

// Slugify turns a name ("Q1: Who files?", "my quiz.gift") into the
// lower-case, dash-separated form uids and question ids take.
func Slugify(s string) string {
	s = accents.Replace(strings.ToLower(s))
	return strings.Trim(nonSlug.ReplaceAllString(s, "-"), "-")
}

// fileUID turns a file name without its extension ("Learn.M365 check") into
// a quiz uid, keeping the dots that uids may have ("learn.m365-check").
func fileUID(s string) string {
	s = accents.Replace(strings.ToLower(s))
	return strings.Trim(nonUID.ReplaceAllString(s, "-"), "-.")
}
