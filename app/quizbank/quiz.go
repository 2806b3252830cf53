package quizbank

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"supportlab/app/supportlab"
	"supportlab/app/typography"
	"supportlab/app/yamldoc"
)

// learnMarker is the first line of a Microsoft Learn unit file.
const learnMarker = "### YamlMime:ModuleUnit"

// isLearnUnit reports whether src is a Learn unit file: it starts, after
// any byte-order mark and blank space, with learnMarker.
func isLearnUnit(src []byte) bool {
	return bytes.HasPrefix(bytes.TrimLeft(src, "\ufeff \t\r\n"), []byte(learnMarker))
}

// Field schemas: anything else is reported as an unknown field, so that a
// misspelt "iscorrect" is an error instead of a silently wrong answer key.
// Lists of questions and choices are checked item by item as they are read
// (a nil schema here), so that items past SPEC's limits cost nothing.
var (
	choiceSchema   = yamldoc.Schema{"content": nil, "isCorrect": nil, "explanation": nil}
	questionSchema = yamldoc.Schema{"id": nil, "content": nil, "shuffle": nil, "choices": nil}
	quizSchema     = yamldoc.Schema{
		"uid": nil, "title": nil, "lang": nil, "module": nil, "passPercent": nil,
		"shuffle": nil, "draw": nil, "questions": nil,
	}
	learnQuizSchema = yamldoc.Schema{"title": nil, "questions": nil}
	learnSchema     = yamldoc.Schema{
		"uid": nil, "title": nil, "lang": nil, "module": nil, "passPercent": nil, "shuffle": nil, "draw": nil,
		"metadata": yamldoc.AnyKeys, "durationInMinutes": nil, "content": nil, "quiz": nil,
		"interactive": yamldoc.AnyKeys, "sandbox": yamldoc.AnyKeys, "labModal": yamldoc.AnyKeys, "notebook": yamldoc.AnyKeys, "azureSandbox": yamldoc.AnyKeys,
	}
)

type choiceFile struct {
	Content     string `yaml:"content"`
	IsCorrect   bool   `yaml:"isCorrect"`
	Explanation string `yaml:"explanation"`
}

type questionFile struct {
	ID      string       `yaml:"id"`
	Content string       `yaml:"content"`
	Shuffle *bool        `yaml:"shuffle"`
	Choices []choiceFile `yaml:"-"` // read item by item, to keep each one's line
}

type quizFile struct {
	UID         string         `yaml:"uid"`
	Title       string         `yaml:"title"`
	Lang        string         `yaml:"lang"`
	Module      string         `yaml:"module"`
	PassPercent *int           `yaml:"passPercent"`
	Shuffle     bool           `yaml:"shuffle"`
	Draw        int            `yaml:"draw"`
	Questions   []questionFile `yaml:"-"` // read item by item, to keep each one's line
}

// learnQuizFile is the quiz: mapping of a Learn unit; its questions are read
// item by item like a native file's.
type learnQuizFile struct {
	Title string `yaml:"title"`
}

// ParseQuiz reads one quiz file, native or Learn unit, and validates it on
// its own (uniqueness across files is the bank's job). It reports every
// problem of the file, each at its line, and never returns a half-valid
// quiz: either a quiz and no problem, or problems.
func (b *Bank) ParseQuiz(path string, src []byte) (*supportlab.Quiz, supportlab.Problems) {
	if ps := checkSize(path, int64(len(src))); ps != nil {
		return nil, ps
	}
	learn := isLearnUnit(src)
	root, ps := yamldoc.Parse(path, src, 0)
	if ps != nil {
		return nil, ps
	}
	schema := quizSchema
	if learn {
		schema = learnSchema
	}
	yamldoc.CheckKeys(path, root, schema, 0, &ps)
	var f quizFile
	qs := quizSource{
		uid: yamldoc.LineOf(root, "uid", 1), title: yamldoc.LineOf(root, "title", 1),
		lang: yamldoc.LineOf(root, "lang", 1), module: yamldoc.LineOf(root, "module", 1),
		passPercent: yamldoc.LineOf(root, "passPercent", 1), draw: yamldoc.LineOf(root, "draw", 1),
		correctHint: "set isCorrect: true on at least one",
	}
	qs.unread = yamldoc.Decode(path, root, &f, schema, 0, &ps)

	// A native file lists its questions at the top; a Learn unit under quiz:.
	parent, parentUnread := root, qs.unread
	if learn {
		if f.Lang == "" && !qs.unread.Has("lang") {
			f.Lang = "en"
		}
		parent = yamldoc.Field(root, "quiz")
		var lq learnQuizFile
		yamldoc.CheckKeys(path, parent, learnQuizSchema, 0, &ps)
		parentUnread = yamldoc.Decode(path, parent, &lq, learnQuizSchema, 0, &ps)
		if parent == nil {
			if !qs.unread.Has("quiz") {
				ps.Add(path, 1, "a Learn unit needs a top-level \"quiz:\" to be imported as a quiz")
			}
			parentUnread.Add("questions") // reported above: no second problem
		}
	}
	qs.questions = yamldoc.LineOf(parent, "questions", yamldoc.LineOf(root, "quiz", 1))
	items, ok := yamldoc.Seq(path, yamldoc.Field(parent, "questions"), 0, &ps)
	if !ok || parentUnread.Has("questions") {
		qs.unread.Add("questions")
	}
	qs.total = len(items)
	for i, qn := range items {
		if i == supportlab.MaxQuestions {
			// Past the limit the file is refused: its questions are
			// counted, not read.
			qs.extra = qn.Line
			break
		}
		qf, ql := readQuestion(path, qn, &ps)
		if learn && qf.ID == "" && !ql.unread.Has("id") {
			qf.ID = fmt.Sprintf("q%d", i+1)
		}
		f.Questions = append(f.Questions, qf)
		qs.q = append(qs.q, ql)
	}
	return b.buildQuiz(path, f, qs, ps)
}

// readQuestion reads one question of a YAML quiz and its choices, up to
// MaxChoices of them (more are counted, for the message, not read).
func readQuestion(path string, qn *yaml.Node, ps *supportlab.Problems) (questionFile, questionSource) {
	var qf questionFile
	ql := questionSource{
		start: qn.Line, id: yamldoc.LineOf(qn, "id", qn.Line),
		content: yamldoc.LineOf(qn, "content", qn.Line), choices: yamldoc.LineOf(qn, "choices", qn.Line),
	}
	yamldoc.CheckKeys(path, qn, questionSchema, 0, ps)
	ql.unread = yamldoc.Decode(path, qn, &qf, questionSchema, 0, ps)
	items, ok := yamldoc.Seq(path, yamldoc.Field(qn, "choices"), 0, ps)
	if !ok {
		ql.unread.Add("choices")
	}
	ql.total = len(items)
	for j, cn := range items {
		if j == supportlab.MaxChoices {
			break
		}
		var cf choiceFile
		yamldoc.CheckKeys(path, cn, choiceSchema, 0, ps)
		u := yamldoc.Decode(path, cn, &cf, choiceSchema, 0, ps)
		qf.Choices = append(qf.Choices, cf)
		ql.choice = append(ql.choice, choiceSource{line: cn.Line, unread: u})
	}
	return qf, ql
}

// quizSource locates the parts of a quiz in its source file and says what
// the reader could not read there, so that one validation reports every
// problem at its line whatever the format, and a field already reported as
// unreadable is not reported again as missing.
type quizSource struct {
	uid, title, lang, module, passPercent, draw, questions int
	unread                                                 yamldoc.Unread
	total                                                  int // questions in the file, read or not
	extra                                                  int // line of the first question past MaxQuestions
	q                                                      []questionSource
	// optionalExplanations is set for formats whose choices may come
	// without an explanation (GIFT, Aiken).
	optionalExplanations bool
	// correctHint tells, in the format's own words, how to mark a right
	// answer.
	correctHint string
}

type questionSource struct {
	start, id, content, choices int
	unread                      yamldoc.Unread
	total                       int // choices in the file, read or not
	choice                      []choiceSource
	// answerUnread is set when the right answers could not be read (an
	// Aiken ANSWER naming no choice), so "no correct choice" is not added.
	answerUnread bool
}

type choiceSource struct {
	line   int
	unread yamldoc.Unread
}

// buildQuiz validates a decoded quiz, adds its problems to ps (what the
// reader found) and, when there is none at all, renders its markdown.
func (b *Bank) buildQuiz(path string, f quizFile, qs quizSource, ps supportlab.Problems) (*supportlab.Quiz, supportlab.Problems) {
	passPercent := supportlab.DefaultPassPercent
	if f.PassPercent != nil {
		passPercent = *f.PassPercent
	}
	if !qs.unread.Has("uid") {
		checkUID(&ps, path, qs.uid, f.UID)
	}
	checkTitleLang(&ps, path, f.Title, qs.title, f.Lang, qs.lang, qs.unread)
	if f.Module != "" && !supportlab.SlugPattern.MatchString(f.Module) {
		ps.Add(path, qs.module, "module %q is not a valid module slug", f.Module)
	}
	if passPercent < 0 || passPercent > 100 {
		ps.Add(path, qs.passPercent, "passPercent must be between 0 and 100, not %d", passPercent)
	}
	if f.Draw < 0 || f.Draw > qs.total {
		ps.Add(path, qs.draw, "draw must be between 0 and the number of questions (%d), not %d", qs.total, f.Draw)
	}
	switch {
	case qs.total == 0 && !qs.unread.Has("questions"):
		ps.Add(path, qs.questions, "a quiz needs at least one question")
	case qs.total > supportlab.MaxQuestions:
		ps.Add(path, qs.extra, "a quiz may have at most %d questions, not %d (this is question %d)",
			supportlab.MaxQuestions, qs.total, supportlab.MaxQuestions+1)
	}

	ids := map[string]int{}
	hasExplanation := false
	for i, qf := range f.Questions {
		ql := qs.q[i]
		switch {
		case ql.unread.Has("id"):
		case qf.ID == "":
			ps.Add(path, ql.start, "question %d has no id", i+1)
		case !supportlab.SlugPattern.MatchString(qf.ID):
			ps.Add(path, ql.id, "question id %q may only hold lower-case letters, digits and dashes", qf.ID)
		case ids[qf.ID] > 0:
			ps.Add(path, ql.id, "question id %q is already used on line %d", qf.ID, ids[qf.ID])
		default:
			ids[qf.ID] = ql.id
		}
		label := questionLabel(i, qf.ID)
		if strings.TrimSpace(qf.Content) == "" && !ql.unread.Has("content") {
			ps.Add(path, ql.content, "%s has no content", label)
		}
		if (ql.total < supportlab.MinChoices || ql.total > supportlab.MaxChoices) && !ql.unread.Has("choices") {
			ps.Add(path, ql.choices, "%s needs %d to %d choices, not %d", label, supportlab.MinChoices, supportlab.MaxChoices, ql.total)
		}
		correct, answerUnread := 0, ql.answerUnread
		for j, cf := range qf.Choices {
			cl := ql.choice[j]
			if cf.IsCorrect {
				correct++
			}
			answerUnread = answerUnread || cl.unread.Has("isCorrect")
			if strings.TrimSpace(cf.Content) == "" && !cl.unread.Has("content") {
				ps.Add(path, cl.line, "%s, choice %d has no content", label, j+1)
			}
			switch {
			case strings.TrimSpace(cf.Explanation) != "":
				hasExplanation = true
			case !qs.optionalExplanations && !cl.unread.Has("explanation"):
				ps.Add(path, cl.line, "%s, choice %d has no explanation", label, j+1)
			}
		}
		if correct == 0 && len(qf.Choices) > 0 && !answerUnread {
			ps.Add(path, ql.choices, "%s has no correct choice (%s)", label, qs.correctHint)
		}
	}
	if len(ps) > 0 {
		return nil, ps.Capped(supportlab.MaxReported)
	}

	r := b.renderer(f.Lang)
	q := &supportlab.Quiz{
		UID: f.UID, Title: typography.For(f.Lang, strings.TrimSpace(f.Title)), Lang: f.Lang, Module: f.Module,
		PassPercent: passPercent, Shuffle: f.Shuffle, Draw: f.Draw, Path: path,
		NoExplanations: !hasExplanation,
	}
	for _, qf := range f.Questions {
		question := &supportlab.Question{ID: qf.ID, Content: qf.Content, ContentHTML: r.inline(qf.Content), Shuffle: qf.Shuffle}
		for _, cf := range qf.Choices {
			question.Choices = append(question.Choices, &supportlab.Choice{
				Content: cf.Content, IsCorrect: cf.IsCorrect, Explanation: cf.Explanation,
				ContentHTML: r.inline(cf.Content), ExplanationHTML: r.inline(cf.Explanation),
			})
		}
		q.Questions = append(q.Questions, question)
	}
	q.Hash = hashJSON(q)
	return q, nil
}

// checkSize refuses a file larger than SPEC's limit before anything reads it.
func checkSize(path string, size int64) supportlab.Problems {
	if size <= supportlab.MaxImportBytes {
		return nil
	}
	var ps supportlab.Problems
	ps.Add(path, 1, "file is %d bytes; a quiz or scenario file may be at most %s (%d bytes)",
		size, sizeName(supportlab.MaxImportBytes), supportlab.MaxImportBytes)
	return ps
}

// sizeName writes a byte count the way the limit is spoken of: "1 MB".
func sizeName(n int) string {
	switch {
	case n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n%(1<<10) == 0:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// checkUID reports a missing uid, or one that does not fit SPEC's
// [a-z0-9.-]+. Quizzes, scenarios and the uid a trainer types at upload
// share it.
func checkUID(ps *supportlab.Problems, path string, line int, uid string) {
	switch {
	case uid == "":
		ps.Add(path, line, "uid is required")
	case !supportlab.UIDPattern.MatchString(uid):
		ps.Add(path, line, "uid %q may only hold lower-case letters, digits, dots and dashes", uid)
	case !supportlab.ValidUID(uid):
		ps.Add(path, line, "uid %q needs at least one letter or digit", uid)
	}
}

// checkTitleLang reports a blank title or a language SupportLab does not
// teach in, for quizzes and scenarios alike; a field the file gave in a form
// that could not be read was reported already.
func checkTitleLang(ps *supportlab.Problems, path, title string, titleLine int, lang string, langLine int, unread yamldoc.Unread) {
	if strings.TrimSpace(title) == "" && !unread.Has("title") {
		ps.Add(path, titleLine, "title is required")
	}
	if !supportlab.ValidLanguage(lang) && !unread.Has("lang") {
		ps.Add(path, langLine, "lang must be en or fr, not %q", lang)
	}
}

func questionLabel(i int, id string) string {
	if id == "" {
		return fmt.Sprintf("question %d", i+1)
	}
	return fmt.Sprintf("question %q", id)
}

// hashJSON digests the graded content of v: the Body stored with its
// version, so that the hash and the stored content always agree.
func hashJSON(v any) string {
	sum := sha256.Sum256(Body(v))
	return hex.EncodeToString(sum[:])
}

// canonical strips what does not change grading: rendered HTML, the path and
// any previous hash or version.
func canonical(v any) any {
	switch x := v.(type) {
	case *supportlab.Quiz:
		type choice struct {
			Content, Explanation string
			IsCorrect            bool
		}
		// Fields added later are omitted when empty, so that the hash of
		// a file that does not use them stays the same.
		type question struct {
			ID, Content string
			Choices     []choice
			Shuffle     *bool `json:",omitempty"`
		}
		out := struct {
			UID, Title, Lang, Module string
			PassPercent, Draw        int
			Shuffle                  bool
			Questions                []question
			NoExplanations           bool `json:",omitempty"`
		}{x.UID, x.Title, x.Lang, x.Module, x.PassPercent, x.Draw, x.Shuffle, nil, x.NoExplanations}
		for _, q := range x.Questions {
			qq := question{ID: q.ID, Content: q.Content, Shuffle: q.Shuffle}
			for _, c := range q.Choices {
				qq.Choices = append(qq.Choices, choice{c.Content, c.Explanation, c.IsCorrect})
			}
			out.Questions = append(out.Questions, qq)
		}
		return out
	case *supportlab.Scenario:
		return struct {
			UID, Title, Lang, Situation, Explanation string
			Expect                                   supportlab.Expectation
		}{x.UID, x.Title, x.Lang, x.Situation, x.Explanation, x.Expect}
	}
	return v
}

// Body returns the JSON stored with a version, so that an old version's
// content can be read back after the file changed.
func Body(v any) []byte {
	buf, _ := json.Marshal(canonical(v))
	return buf
}
