package lessons_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"supportlab/app/library"
	"supportlab/static"
)

// The curriculum's shape is part of the product: every module exists in
// both languages with the same units (the language switch keeps the
// address), teaches at least four units and ends in a knowledge check of at
// least ten questions whose answer keys match across languages, and every
// drawing a lesson shows exists, in the lesson's own language.
func TestCurriculum(t *testing.T) {
	lib, err := library.Load(library.Sources{})
	if err != nil {
		t.Fatal(err)
	}
	en, fr := lib.Lessons.Modules("en"), lib.Lessons.Modules("fr")
	if len(en) < 3 {
		t.Errorf("%d English modules, want at least 3", len(en))
	}
	if len(en) != len(fr) {
		t.Fatalf("%d English modules and %d French ones", len(en), len(fr))
	}
	for i := range en {
		t.Run(en[i].Slug, func(t *testing.T) {
			e, f := en[i], fr[i]
			if e.Slug != f.Slug {
				t.Fatalf("module %d is %s in English and %s in French", i+1, e.Slug, f.Slug)
			}
			if len(e.Units) != len(f.Units) {
				t.Fatalf("%d units in English, %d in French", len(e.Units), len(f.Units))
			}
			for j := range e.Units {
				if e.Units[j].Slug != f.Units[j].Slug {
					t.Errorf("unit %d is %s in English and %s in French", j+1, e.Units[j].Slug, f.Units[j].Slug)
				}
			}
			if teaching := len(e.Units) - 1; teaching < 4 {
				t.Errorf("%d teaching units before the knowledge check, want at least 4", teaching)
			}
			qe, err := lib.Bank.Quiz(e.Units[len(e.Units)-1].Quiz)
			if err != nil {
				t.Fatalf("the last English unit shows no knowledge check: %v", err)
			}
			qf, err := lib.Bank.Quiz(f.Units[len(f.Units)-1].Quiz)
			if err != nil {
				t.Fatalf("the last French unit shows no knowledge check: %v", err)
			}
			if len(qe.Questions) < 10 || len(qf.Questions) != len(qe.Questions) {
				t.Errorf("knowledge checks have %d (en) and %d (fr) questions, want the same number, at least 10", len(qe.Questions), len(qf.Questions))
			}
			for k := range min(len(qe.Questions), len(qf.Questions)) {
				a, b := qe.Questions[k], qf.Questions[k]
				if a.ID != b.ID || fmt.Sprint(a.Correct()) != fmt.Sprint(b.Correct()) {
					t.Errorf("question %d: en %s (right %v) and fr %s (right %v) should be translations of each other", k+1, a.ID, a.Correct(), b.ID, b.Correct())
				}
			}
		})
	}
}

var lessonImage = regexp.MustCompile(`<img src="/static/([^"]+)" alt="([^"]*)"`)

func TestLessonDrawings(t *testing.T) {
	lib, err := library.Load(library.Sources{})
	if err != nil {
		t.Fatal(err)
	}
	drawings := map[string]int{}
	for _, lang := range []string{"en", "fr"} {
		for _, m := range lib.Lessons.Modules(lang) {
			for _, u := range m.Units {
				for _, img := range lessonImage.FindAllStringSubmatch(string(u.HTML), -1) {
					name, alt := img[1], img[2]
					t.Run(lang+"/"+name, func(t *testing.T) {
						if !strings.HasSuffix(name, "-"+lang+".svg") {
							t.Errorf("%s shows %s: a drawing's words are in one language, so a %s lesson shows the -%s.svg file", u.Path, name, lang, lang)
						}
						if len(alt) < 40 {
							t.Errorf("%s: the alt text of %s is too short to carry the drawing's information: %q", u.Path, name, alt)
						}
						svg, err := static.FS.ReadFile(name)
						if err != nil {
							t.Fatalf("%s shows %s, which static/ lacks", u.Path, name)
						}
						for _, banned := range []string{"<script", "<foreignObject", "href=\"http", "xlink:href=\"http", "@import", "url(http"} {
							if strings.Contains(string(svg), banned) {
								t.Errorf("%s holds %q: drawings load nothing and run nothing", name, banned)
							}
						}
						if len(svg) > 16<<10 {
							t.Errorf("%s is %d bytes; keep drawings under 16 KB", name, len(svg))
						}
					})
					drawings[lang]++
				}
			}
		}
	}
	for _, lang := range []string{"en", "fr"} {
		if drawings[lang] < 3 {
			t.Errorf("%d drawings in the %s lessons, want at least 3 (severity tree, two lanes, admin-center path)", drawings[lang], lang)
		}
	}
}
