package quizbank

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"

	"supportlab/app/supportlab"
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
var (
	choiceSchema   = yamldoc.Schema{"content": nil, "isCorrect": nil, "explanation": nil}
	questionSchema = yamldoc.Schema{"id": nil, "content": nil, "shuffle": nil, "choices": yamldoc.Schema{"[]": choiceSchema}}
	quizSchema     = yamldoc.Schema{
		"uid": nil, "title": nil, "lang": nil, "module": nil, "passPercent": nil,
		"shuffle": nil, "draw": nil, "questions": yamldoc.Schema{"[]": questionSchema},
	}
	learnQuizSchema = yamldoc.Schema{"title": nil, "questions": yamldoc.Schema{"[]": questionSchema}}
	learnSchema     = yamldoc.Schema{
		"uid": nil, "title": nil, "lang": nil, "module": nil, "passPercent": nil, "shuffle": nil, "draw": nil,
		"metadata": yamldoc.AnyKeys, "durationInMinutes": nil, "content": nil, "quiz": learnQuizSchema,
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
	Choices []choiceFile `yaml:"choices"`
}

type quizFile struct {
	UID         string         `yaml:"uid"`
	Title       string         `yaml:"title"`
	Lang        string         `yaml:"lang"`
	Module      string         `yaml:"module"`
	PassPercent *int           `yaml:"passPercent"`
	Shuffle     bool           `yaml:"shuffle"`
	Draw        int            `yaml:"draw"`
	Questions   []questionFile `yaml:"questions"`
	Quiz        *struct {
		Title     string         `yaml:"title"`
		Questions []questionFile `yaml:"questions"`
	} `yaml:"quiz"`
}

// learnUID is what a Learn uid may look like: Learn uses dots.
var learnUID = regexp.MustCompile(`^[a-z0-9]+(?:[.-][a-z0-9]+)*$`)

// ParseQuiz reads one quiz file, native or Learn unit, and validates it on
// its own (uniqueness across files is the bank's job). It never returns a
// half-valid quiz: either a quiz and no problem, or problems.
func (b *Bank) ParseQuiz(path string, src []byte) (*supportlab.Quiz, supportlab.Problems) {
	learn := isLearnUnit(src)
	root, ps := yamldoc.Parse(path, src, 0)
	if ps != nil {
		return nil, ps
	}
	if learn {
		yamldoc.CheckKeys(path, root, learnSchema, 0, &ps)
	} else {
		yamldoc.CheckKeys(path, root, quizSchema, 0, &ps)
	}
	var f quizFile
	if err := root.Decode(&f); err != nil {
		ps = append(ps, yamldoc.Problems(path, err, 0)...)
	}
	if len(ps) > 0 {
		return nil, ps
	}

	qNodes := yamldoc.Items(root, "questions")
	if learn {
		qv := yamldoc.Field(root, "quiz")
		if f.Quiz == nil || qv == nil {
			ps.Add(path, 1, "a Learn unit needs a top-level \"quiz:\" to be imported as a quiz")
			return nil, ps
		}
		f.Questions = f.Quiz.Questions
		qNodes = yamldoc.Items(qv, "questions")
		if f.Lang == "" {
			f.Lang = "en"
		}
		for i := range f.Questions {
			if f.Questions[i].ID == "" {
				f.Questions[i].ID = fmt.Sprintf("q%d", i+1)
			}
		}
	}

	return b.buildQuiz(path, f, yamlQuizLines(root, qNodes), learn)
}

// quizLines locates the parts of a quiz in its source file, so that one
// validation reports problems at the right line whatever the format.
type quizLines struct {
	uid, title, lang, module, passPercent, draw, questions int
	q                                                      []questionLines
}

type questionLines struct {
	start, id, content, choices int
	choice                      []int
}

func yamlQuizLines(root *yaml.Node, qNodes []*yaml.Node) quizLines {
	ln := quizLines{
		uid: yamldoc.LineOf(root, "uid", 1), title: yamldoc.LineOf(root, "title", 1),
		lang: yamldoc.LineOf(root, "lang", 1), module: yamldoc.LineOf(root, "module", 1),
		passPercent: yamldoc.LineOf(root, "passPercent", 1), draw: yamldoc.LineOf(root, "draw", 1),
		questions: yamldoc.LineOf(root, "questions", 1),
	}
	for _, qn := range qNodes {
		ql := questionLines{
			start: qn.Line, id: yamldoc.LineOf(qn, "id", qn.Line),
			content: yamldoc.LineOf(qn, "content", qn.Line), choices: yamldoc.LineOf(qn, "choices", qn.Line),
		}
		for _, cn := range yamldoc.Items(qn, "choices") {
			ql.choice = append(ql.choice, cn.Line)
		}
		ln.q = append(ln.q, ql)
	}
	return ln
}

// buildQuiz validates a decoded quiz and renders its markdown. relaxedUID
// accepts Learn's dotted uids.
func (b *Bank) buildQuiz(path string, f quizFile, ln quizLines, relaxedUID bool) (*supportlab.Quiz, supportlab.Problems) {
	var ps supportlab.Problems
	q := &supportlab.Quiz{
		UID: f.UID, Title: strings.TrimSpace(f.Title), Lang: f.Lang, Module: f.Module,
		PassPercent: supportlab.DefaultPassPercent, Shuffle: f.Shuffle, Draw: f.Draw, Path: path,
	}
	if f.PassPercent != nil {
		q.PassPercent = *f.PassPercent
	}

	checkUID(&ps, path, ln.uid, f.UID, relaxedUID)
	checkTitleLang(&ps, path, q.Title, ln.title, f.Lang, ln.lang)
	if f.Module != "" && !supportlab.SlugPattern.MatchString(f.Module) {
		ps.Add(path, ln.module, "module %q is not a valid module slug", f.Module)
	}
	if q.PassPercent < 0 || q.PassPercent > 100 {
		ps.Add(path, ln.passPercent, "passPercent must be between 0 and 100, not %d", q.PassPercent)
	}
	if f.Draw < 0 || f.Draw > len(f.Questions) {
		ps.Add(path, ln.draw, "draw must be between 0 and the number of questions (%d), not %d", len(f.Questions), f.Draw)
	}
	if len(f.Questions) == 0 {
		ps.Add(path, ln.questions, "a quiz needs at least one question")
	}

	r := b.renderer(f.Lang)
	ids := map[string]int{}
	for i, qf := range f.Questions {
		qn := ln.q[i]
		question := &supportlab.Question{ID: qf.ID, Content: qf.Content, Shuffle: qf.Shuffle}
		switch {
		case qf.ID == "":
			ps.Add(path, qn.start, "question %d has no id", i+1)
		case !supportlab.SlugPattern.MatchString(qf.ID):
			ps.Add(path, qn.id, "question id %q may only hold lower-case letters, digits and dashes", qf.ID)
		case ids[qf.ID] > 0:
			ps.Add(path, qn.id, "question id %q is already used on line %d", qf.ID, ids[qf.ID])
		default:
			ids[qf.ID] = qn.id
		}
		label := questionLabel(i, qf.ID)
		if strings.TrimSpace(qf.Content) == "" {
			ps.Add(path, qn.content, "%s has no content", label)
		}
		if n := len(qf.Choices); n < 2 || n > 8 {
			ps.Add(path, qn.choices, "%s needs 2 to 8 choices, not %d", label, n)
		}
		correct := 0
		for j, cf := range qf.Choices {
			cl := qn.choice[j]
			if cf.IsCorrect {
				correct++
			}
			if strings.TrimSpace(cf.Content) == "" {
				ps.Add(path, cl, "%s, choice %d has no content", label, j+1)
			}
			if strings.TrimSpace(cf.Explanation) == "" {
				ps.Add(path, cl, "%s, choice %d has no explanation", label, j+1)
			}
			question.Choices = append(question.Choices, &supportlab.Choice{
				Content: cf.Content, IsCorrect: cf.IsCorrect, Explanation: cf.Explanation,
				ContentHTML: r.inline(cf.Content), ExplanationHTML: r.inline(cf.Explanation),
			})
		}
		if correct == 0 && len(qf.Choices) > 0 {
			ps.Add(path, qn.choices, "%s has no correct choice (set isCorrect: true on at least one)", label)
		}
		question.ContentHTML = r.inline(qf.Content)
		q.Questions = append(q.Questions, question)
	}
	if len(ps) > 0 {
		return nil, ps
	}
	q.Hash = hashJSON(q)
	return q, nil
}

// checkUID reports a missing uid, or one that does not fit in URLs: a
// slug, or with relaxed (Learn's own uids) a slug that may hold dots.
// Quizzes, scenarios and the uid a trainer types at upload share it.
func checkUID(ps *supportlab.Problems, path string, line int, uid string, relaxed bool) {
	switch {
	case uid == "":
		ps.Add(path, line, "uid is required")
	case relaxed && !learnUID.MatchString(uid):
		ps.Add(path, line, "uid %q may only hold lower-case letters, digits, dots and dashes", uid)
	case !relaxed && !supportlab.SlugPattern.MatchString(uid):
		ps.Add(path, line, "uid %q may only hold lower-case letters, digits and dashes", uid)
	}
}

// checkTitleLang reports a blank title or a language SupportLab does not
// teach in, for quizzes and scenarios alike.
func checkTitleLang(ps *supportlab.Problems, path, title string, titleLine int, lang string, langLine int) {
	if strings.TrimSpace(title) == "" {
		ps.Add(path, titleLine, "title is required")
	}
	if !supportlab.ValidLanguage(lang) {
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
		type question struct {
			ID, Content string
			Choices     []choice
		}
		out := struct {
			UID, Title, Lang, Module string
			PassPercent, Draw        int
			Shuffle                  bool
			Questions                []question
		}{x.UID, x.Title, x.Lang, x.Module, x.PassPercent, x.Draw, x.Shuffle, nil}
		for _, q := range x.Questions {
			qq := question{ID: q.ID, Content: q.Content}
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
