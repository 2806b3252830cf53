package quizbank_test

import (
	"fmt"
	"strings"
	"testing"

	"supportlab/app/lessons"
	"supportlab/app/markdown"
	"supportlab/app/quizbank"
	"supportlab/app/supportlab"
	"supportlab/content"
	"supportlab/quizzes"
)

// loadEmbedded loads the lessons, quizzes and scenarios the binary carries,
// the way the server does at start-up.
func loadEmbedded(t *testing.T) (*lessons.Catalog, *quizbank.Bank) {
	t.Helper()
	rs := map[string]*markdown.Renderer{}
	for _, lang := range supportlab.Languages {
		rs[lang] = markdown.New(nil)
	}
	cat, err := lessons.Load(content.FS, "content", rs)
	if err != nil {
		t.Fatalf("embedded lessons:\n%v", err)
	}
	bank := quizbank.New(rs)
	if err := bank.Load(quizzes.FS, "quizzes"); err != nil {
		t.Fatalf("embedded quizzes and scenarios:\n%v", err)
	}
	return cat, bank
}

// specLanguages are the languages SPEC requires content in, written out
// rather than read from supportlab.Languages: a language dropped from that
// list must fail these tests, not shrink them.
var specLanguages = []string{"en", "fr"}

func TestEmbeddedContentValidates(t *testing.T) {
	cat, bank := loadEmbedded(t)
	if ps := cat.QuizRefs(func(uid string) bool { _, err := bank.Quiz(uid); return err == nil }); len(ps) > 0 {
		t.Errorf("lessons name quizzes that do not exist:\n%v", ps)
	}
	for _, lang := range specLanguages {
		mods := cat.Modules(lang)
		if len(mods) == 0 {
			t.Errorf("no module in %s", lang)
		}
		for _, m := range mods {
			for _, u := range m.Units {
				if u.Quiz == "" {
					continue
				}
				q, err := bank.Quiz(u.Quiz)
				if err != nil {
					continue // reported above
				}
				if q.Lang != lang {
					t.Errorf("%s: a %s lesson shows quiz %s, which is in %s", u.Path, lang, q.UID, q.Lang)
				}
			}
		}
	}
	for _, q := range bank.Quizzes("") {
		if q.Module != "" {
			if _, err := cat.Module(q.Lang, q.Module); err != nil {
				t.Errorf("%s: module %q does not exist in %s", q.Path, q.Module, q.Lang)
			}
		}
	}
}

// knowledgeCheck returns the quiz shown by the module's last unit in lang.
func knowledgeCheck(t *testing.T, cat *lessons.Catalog, bank *quizbank.Bank, lang string) *supportlab.Quiz {
	t.Helper()
	m, err := cat.Module(lang, "get-help-from-microsoft")
	if err != nil {
		t.Fatal(err)
	}
	last := m.Units[len(m.Units)-1]
	if last.Quiz == "" {
		t.Fatalf("%s: the module's last unit shows no knowledge check", last.Path)
	}
	q, err := bank.Quiz(last.Quiz)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func TestKnowledgeChecks(t *testing.T) {
	cat, bank := loadEmbedded(t)
	for _, lang := range specLanguages {
		t.Run(lang, func(t *testing.T) {
			q := knowledgeCheck(t, cat, bank, lang)
			if len(q.Questions) < 10 {
				t.Errorf("%s has %d questions, want at least 10", q.UID, len(q.Questions))
			}
			single, multiple := 0, 0
			for _, qq := range q.Questions {
				if qq.Multiple() {
					multiple++
				} else {
					single++
				}
			}
			if single == 0 || multiple == 0 {
				t.Errorf("%s has %d single-answer and %d multiple-answer questions; it needs both", q.UID, single, multiple)
			}
			lucerne := q.Question("lucerne-admin-role")
			if lucerne == nil {
				t.Fatalf("%s has no Lucerne Publishing question (id lucerne-admin-role)", q.UID)
			}
			if !strings.Contains(lucerne.Content, "Lucerne") {
				t.Errorf("question lucerne-admin-role does not mention Lucerne: %q", lucerne.Content)
			}
			if n := len(lucerne.Correct()); n != 1 || len(lucerne.Choices) < 3 {
				t.Errorf("the Lucerne question should have one right answer and distractors, has %d right of %d", n, len(lucerne.Choices))
			}
		})
	}
	en, fr := knowledgeCheck(t, cat, bank, "en"), knowledgeCheck(t, cat, bank, "fr")
	if len(en.Questions) != len(fr.Questions) {
		t.Errorf("knowledge checks differ in size: en %d, fr %d", len(en.Questions), len(fr.Questions))
	}
	for i := range min(len(en.Questions), len(fr.Questions)) {
		if a, b := en.Questions[i], fr.Questions[i]; a.ID != b.ID || fmt.Sprint(a.Correct()) != fmt.Sprint(b.Correct()) {
			t.Errorf("question %d: en %s (right %v) and fr %s (right %v) should be translations of each other", i+1, a.ID, a.Correct(), b.ID, b.Correct())
		}
	}
}

func TestScenarioLibrary(t *testing.T) {
	_, bank := loadEmbedded(t)
	for _, lang := range specLanguages {
		t.Run(lang, func(t *testing.T) {
			ss := bank.Scenarios(lang)
			if len(ss) < 27 {
				t.Errorf("%d scenarios, want at least 27", len(ss))
			}
			bySeverity := map[string]int{}
			products := map[string]bool{}
			inHouse := 0
			for _, s := range ss {
				if s.Expect.Action == supportlab.ActionHandleInHouse {
					inHouse++
					continue
				}
				bySeverity[s.Expect.Severity]++
				products[s.Expect.Product] = true
			}
			for _, sev := range []string{"A", "B", "C"} { // SPEC's severities
				if bySeverity[sev] < 3 {
					t.Errorf("%d scenarios expect severity %s, want at least 3", bySeverity[sev], sev)
				}
			}
			if inHouse < 3 {
				t.Errorf("%d in-house scenarios, want at least 3", inHouse)
			}
			if len(products) < 6 {
				t.Errorf("scenarios use %d products, want at least 6", len(products))
			}
		})
	}
	// Each English scenario has a French twin with the same expectation.
	for _, en := range bank.Scenarios("en") {
		fr, err := bank.Scenario(en.UID + "-fr")
		if err != nil {
			t.Errorf("%s has no French version %s-fr", en.Path, en.UID)
			continue
		}
		if fr.Lang != "fr" || fr.Expect != en.Expect {
			t.Errorf("%s: French version expects %+v in %s, English %+v", fr.Path, fr.Expect, fr.Lang, en.Expect)
		}
	}
}
