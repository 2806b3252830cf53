package quizbank

import (
	"bytes"
	"path"
	"regexp"
	"strings"

	"supportlab/app/supportlab"
	"supportlab/app/yamldoc"
)

// Formats an uploaded file can have.
const (
	FormatQuiz     = "quiz-yaml"
	FormatLearn    = "learn-yaml"
	FormatScenario = "scenario-yaml"
	FormatGIFT     = "gift"
	FormatAiken    = "aiken"
)

// Upload is a parsed, valid uploaded file: a quiz or a scenario.
type Upload struct {
	Format   string
	Quiz     *supportlab.Quiz
	Scenario *supportlab.Scenario
}

// Kind is supportlab.KindQuiz or supportlab.KindSandbox.
func (u Upload) Kind() string {
	if u.Scenario != nil {
		return supportlab.KindSandbox
	}
	return supportlab.KindQuiz
}

// UID is the uid of the uploaded item.
func (u Upload) UID() string {
	if u.Scenario != nil {
		return u.Scenario.UID
	}
	return u.Quiz.UID
}

// Content returns the hash and the stored body of the uploaded item: what
// its version is made of.
func (u Upload) Content() (hash string, body []byte) {
	if u.Scenario != nil {
		return u.Scenario.Hash, Body(u.Scenario)
	}
	return u.Quiz.Hash, Body(u.Quiz)
}

// SetVersion records the version number the store gave the uploaded item.
func (u Upload) SetVersion(v int) {
	if u.Scenario != nil {
		u.Scenario.Version = v
	} else {
		u.Quiz.Version = v
	}
}

var aikenAnswerLine = regexp.MustCompile(`(?m)^\s*ANSWER:\s*[A-Z]`)

// DetectFormat tells the format of an uploaded file from its name and text.
func DetectFormat(name string, src []byte) string {
	ext := strings.ToLower(path.Ext(name))
	switch ext {
	case ".gift":
		return FormatGIFT
	case ".aiken":
		return FormatAiken
	case ".txt", "":
		if aikenAnswerLine.Match(src) {
			return FormatAiken
		}
		if !bytes.Contains(src, []byte("uid:")) {
			return FormatGIFT
		}
	}
	if isLearnUnit(src) {
		return FormatLearn
	}
	if root, ps := yamldoc.Parse(name, src, 0); ps == nil && (yamldoc.Field(root, "situation") != nil || yamldoc.Field(root, "expect") != nil) {
		return FormatScenario
	}
	return FormatQuiz
}

// ParseUpload reads an uploaded file of any supported format and reports
// every problem of it. meta.UID, when set, names the item whatever the file
// says; GIFT and Aiken files, which have no uid, take it from meta (else
// from the file name, dots kept).
func (b *Bank) ParseUpload(name string, src []byte, meta ImportMeta) (Upload, supportlab.Problems) {
	if ps := checkSize(name, int64(len(src))); ps != nil {
		return Upload{}, ps
	}
	format := DetectFormat(name, src)
	up := Upload{Format: format}
	imported := format == FormatGIFT || format == FormatAiken
	if meta.UID == "" && imported {
		meta.UID = fileUID(strings.TrimSuffix(path.Base(name), path.Ext(name)))
	}
	if meta.Title == "" {
		meta.Title = strings.TrimSpace(strings.ReplaceAll(meta.UID, "-", " "))
	}
	var ps supportlab.Problems
	switch format {
	case FormatGIFT:
		up.Quiz, ps = b.ParseGIFT(name, src, meta)
	case FormatAiken:
		up.Quiz, ps = b.ParseAiken(name, src, meta)
	case FormatScenario:
		up.Scenario, ps = b.ParseScenario(name, src)
	default:
		up.Quiz, ps = b.ParseQuiz(name, src)
	}
	if !imported && meta.UID != "" {
		// The uid typed beside a YAML file replaces the file's own: it
		// is checked with the file, and has no line there.
		var uidPs supportlab.Problems
		checkUID(&uidPs, name, 1, meta.UID)
		if ps = append(ps, uidPs...); len(ps) > 0 {
			ps.Sort()
			return Upload{}, ps
		}
		if meta.UID != up.UID() {
			up.rename(meta.UID)
		}
	}
	if len(ps) > 0 {
		return Upload{}, ps
	}
	return up, nil
}

// rename gives the uploaded item another uid (the one the trainer typed);
// the uid is part of the graded content, so the hash follows.
func (u *Upload) rename(uid string) {
	if u.Scenario != nil {
		u.Scenario.UID = uid
		u.Scenario.Hash = hashJSON(u.Scenario)
	} else {
		u.Quiz.UID = uid
		u.Quiz.Hash = hashJSON(u.Quiz)
	}
}

// ParseImport implements supportlab.QuizBank: ParseUpload with the item's
// version material (hash and stored body) filled in.
func (b *Bank) ParseImport(name string, src []byte, meta supportlab.ImportMeta) (*supportlab.Item, supportlab.Problems) {
	up, ps := b.ParseUpload(name, src, ImportMeta{UID: meta.UID, Title: meta.Title, Lang: meta.Lang})
	if len(ps) > 0 {
		return nil, ps
	}
	hash, body := up.Content()
	return &supportlab.Item{Format: up.Format, Quiz: up.Quiz, Scenario: up.Scenario, Hash: hash, Body: body}, nil
}

// Publish implements supportlab.QuizBank: the item replaces the live quiz
// or scenario of its uid unless that one has a newer version, under the
// bank's lock, so that of two imports finishing in either order the newest
// stays live.
func (b *Bank) Publish(it *supportlab.Item) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch {
	case it.Scenario != nil:
		if cur, ok := b.scenarios[it.Scenario.UID]; ok && cur.Version > it.Scenario.Version {
			return false
		}
		b.scenarios[it.Scenario.UID] = it.Scenario
	case it.Quiz != nil:
		if cur, ok := b.quizzes[it.Quiz.UID]; ok && cur.Version > it.Quiz.Version {
			return false
		}
		b.quizzes[it.Quiz.UID] = it.Quiz
	default:
		return false
	}
	return true
}

var _ supportlab.QuizBank = (*Bank)(nil)
