package lessons_test

import (
	"errors"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"supportlab/app/lessons"
	"supportlab/app/library"
	"supportlab/app/locale"
	"supportlab/app/markdown"
	"supportlab/app/supportlab"
	"supportlab/content"
	"supportlab/views"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func plainRenderers() map[string]*markdown.Renderer {
	rs := map[string]*markdown.Renderer{}
	for _, lang := range supportlab.Languages {
		rs[lang] = markdown.New(nil)
	}
	return rs
}

const index = "---\ntitle: Sample module\nsummary: A module.\norder: 1\n---\n\nIntro **text**.\n"

// module returns a content tree with one valid module in both languages,
// plus files; a file given as "" is removed from the tree.
func module(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for _, lang := range supportlab.Languages {
		fsys[lang+"/sample/index.md"] = &fstest.MapFile{Data: []byte(index)}
		fsys[lang+"/sample/01-first.md"] = &fstest.MapFile{Data: []byte("---\ntitle: First\nminutes: 4\n---\n\nOne.\n")}
		fsys[lang+"/sample/02-second.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Second\nminutes: 6\nquiz: sample-check\n---\n\nTwo.\n")}
	}
	for name, data := range files {
		if data == "" {
			delete(fsys, name)
			continue
		}
		fsys[name] = &fstest.MapFile{Data: []byte(data)}
	}
	return fsys
}

func TestLoadOneLanguageOnly(t *testing.T) {
	cat, err := lessons.Load(module(map[string]string{"fr/sample/index.md": "", "fr/sample/01-first.md": "", "fr/sample/02-second.md": ""}), "content", plainRenderers())
	if err != nil {
		t.Fatal(err)
	}
	if len(cat.Modules("en")) != 1 || len(cat.Modules("fr")) != 0 {
		t.Fatalf("%d English and %d French modules, want 1 and 0", len(cat.Modules("en")), len(cat.Modules("fr")))
	}
}

func TestLoadReportsProblemsWithLines(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{"unknown front matter key", map[string]string{"en/sample/01-first.md": "---\ntitle: First\nminute: 4\n---\nOne.\n"},
			[]string{`content/en/sample/01-first.md:3: unknown field "minute" (did you mean "minutes"?)`}},
		{"minutes missing", map[string]string{"en/sample/01-first.md": "---\ntitle: First\n---\nOne.\n"},
			[]string{`content/en/sample/01-first.md:1: front matter needs minutes, a whole number above 0`}},
		{"minutes zero", map[string]string{"en/sample/01-first.md": "---\ntitle: First\nminutes: 0\n---\nOne.\n"},
			[]string{`content/en/sample/01-first.md:3: front matter needs minutes, a whole number above 0`}},
		{"minutes not a number", map[string]string{"en/sample/01-first.md": "---\ntitle: First\nminutes: five\n---\nOne.\n"},
			[]string{`content/en/sample/01-first.md:3: expected a whole number, not "five"`}},
		{"title missing", map[string]string{"fr/sample/01-first.md": "---\nminutes: 4\n---\nUn.\n"},
			[]string{`content/fr/sample/01-first.md:1: front matter needs a title`}},
		{"bad YAML", map[string]string{"en/sample/02-second.md": "---\ntitle: Second\nminutes: 6\nquiz: [sample-check\n---\nTwo.\n"},
			[]string{`content/en/sample/02-second.md:4: did not find expected ',' or ']'`}},
		{"bad indentation", map[string]string{"en/sample/02-second.md": "---\ntitle: Second\n  minutes: 6\n---\nTwo.\n"},
			[]string{`content/en/sample/02-second.md:3: mapping values are not allowed in this context`}},
		{"no front matter", map[string]string{"en/sample/01-first.md": "# First\n"},
			[]string{`content/en/sample/01-first.md:1: file must start with front matter between two --- lines`}},
		{"front matter not closed", map[string]string{"en/sample/01-first.md": "---\ntitle: First\nminutes: 4\n"},
			[]string{`content/en/sample/01-first.md:1: front matter is not closed by a --- line`}},
		{"empty front matter", map[string]string{"en/sample/01-first.md": "---\n---\nOne.\n"},
			[]string{`content/en/sample/01-first.md:2: front matter is empty`}},
		{"bad unit file name", map[string]string{"en/sample/3-third.md": "---\ntitle: Third\nminutes: 1\n---\n"},
			[]string{`content/en/sample/3-third.md:1: unit file names look like NN-slug.md (two digits, a dash, lower-case words)`}},
		{"upper-case unit file name", map[string]string{"en/sample/03-Third.md": "---\ntitle: Third\nminutes: 1\n---\n"},
			[]string{`content/en/sample/03-Third.md:1: unit file names look like NN-slug.md (two digits, a dash, lower-case words)`}},
		{"unit number used twice", map[string]string{"en/sample/02-other.md": "---\ntitle: Other\nminutes: 1\n---\n"},
			[]string{`content/en/sample/02-second.md:1: unit number 02 is already used by 02-other.md`}},
		{"unit slug used twice", map[string]string{"en/sample/03-first.md": "---\ntitle: Again\nminutes: 1\n---\n"},
			[]string{`content/en/sample/03-first.md:1: unit slug "first" is already used by 01-first.md`}},
		{"index missing", map[string]string{"fr/sample/index.md": ""},
			[]string{`content/fr/sample/index.md:1: cannot read file: open fr/sample/index.md: file does not exist`}},
		{"index without title", map[string]string{"en/sample/index.md": "---\nsummary: A module.\norder: 1\n---\n"},
			[]string{`content/en/sample/index.md:1: front matter needs a title`}},
		{"index with a unit key", map[string]string{"en/sample/index.md": "---\ntitle: T\nminutes: 3\n---\n"},
			[]string{`content/en/sample/index.md:3: unknown field "minutes"`}},
		{"module without units", map[string]string{"en/sample/01-first.md": "", "en/sample/02-second.md": ""},
			[]string{`content/en/sample:1: module has no unit (NN-slug.md files)`}},
		{"bad module folder name", map[string]string{"en/Sample_Module/index.md": index},
			[]string{`content/en/Sample_Module:1: module folder name "Sample_Module" may only hold lower-case letters, digits and dashes`}},
		{"no language folder", map[string]string{"fr/sample/index.md": "", "fr/sample/01-first.md": "", "fr/sample/02-second.md": "",
			"en/sample/index.md": "", "en/sample/01-first.md": "", "en/sample/02-second.md": ""},
			[]string{`content:1: no lessons: expected a folder en/ or fr/ of modules`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cat, err := lessons.Load(module(tt.files), "content", plainRenderers())
			var ps supportlab.Problems
			if !errors.As(err, &ps) {
				t.Fatalf("Load = %v, want problems", err)
			}
			if got := ps.Error(); got != strings.Join(tt.want, "\n") {
				t.Errorf("problems:\n%s\nwant:\n%s", got, strings.Join(tt.want, "\n"))
			}
			if cat != nil {
				t.Error("a content tree with problems gave a catalogue")
			}
		})
	}
}

func TestLoadModule(t *testing.T) {
	files := map[string]string{
		// Out of name order on purpose: units are ordered by number.
		"en/sample/10-last.md":  "---\ntitle: Last\nminutes: 1\n---\n",
		"en/sample/03-third.md": "\ufeff---\r\ntitle: \"Third\"\r\nminutes: 2\r\n---\r\n## Part {#part}\r\n",
		"en/sample/notes.txt":   "not a unit",
		"en/sample/drafts/x.md": "not a unit either",
		"en/other/index.md":     "---\ntitle: Other module\norder: 0\n---\n",
		"en/other/01-only.md":   "---\ntitle: Only\nminutes: 2\n---\n",
	}
	cat, err := lessons.Load(module(files), "content", plainRenderers())
	if err != nil {
		t.Fatal(err)
	}
	mods := cat.Modules("en")
	if len(mods) != 2 || mods[0].Slug != "other" || mods[1].Slug != "sample" {
		t.Fatalf("modules are not ordered by their order field: %v", mods)
	}
	m, err := cat.Module("en", "sample")
	if err != nil {
		t.Fatal(err)
	}
	if m.Title != "Sample module" || m.Summary != "A module." || !strings.Contains(string(m.IntroHTML), "<strong>text</strong>") {
		t.Errorf("module = %+v", m)
	}
	var slugs []string
	for _, u := range m.Units {
		slugs = append(slugs, u.Slug)
	}
	if got := strings.Join(slugs, " "); got != "first second third last" {
		t.Errorf("units in order %q, want first second third last", got)
	}
	if m.Minutes() != 4+6+2+1 {
		t.Errorf("minutes = %d, want the sum of the units' minutes, 13", m.Minutes())
	}
	u, i := m.Unit("third")
	if u == nil || i != 2 || u.Title != "Third" || u.Number != 3 || u.Path != "content/en/sample/03-third.md" {
		t.Fatalf("Unit(third) = %+v, %d", u, i)
	}
	if !strings.Contains(string(u.HTML), `<h2 id="part">Part</h2>`) {
		t.Errorf("unit HTML = %s", u.HTML)
	}
	if u, i := m.Unit("missing"); u != nil || i != -1 {
		t.Errorf("Unit(missing) = %v, %d", u, i)
	}
	second, _ := m.Unit("second")
	if second.Quiz != "sample-check" || second.QuizLine != 4 {
		t.Errorf("second unit quiz = %q on line %d, want sample-check on line 4", second.Quiz, second.QuizLine)
	}
	if _, err := cat.Module("en", "nope"); supportlab.ErrorCode(err) != supportlab.ENOTFOUND {
		t.Errorf("Module(nope) = %v, want not found", err)
	}
	if _, err := cat.Module("de", "sample"); supportlab.ErrorCode(err) != supportlab.ENOTFOUND {
		t.Errorf("Module(de, sample) = %v, want not found", err)
	}

	ps := cat.QuizRefs(func(uid string) bool { return false })
	if got := ps.Error(); got != "content/en/sample/02-second.md:4: quiz \"sample-check\" does not exist\ncontent/fr/sample/02-second.md:4: quiz \"sample-check\" does not exist" {
		t.Errorf("QuizRefs:\n%s", got)
	}
	if ps := cat.QuizRefs(func(uid string) bool { return uid == "sample-check" }); len(ps) != 0 {
		t.Errorf("QuizRefs with the quiz present: %v", ps)
	}
}

// TestFrenchFrontMatterTypography checks that titles and summaries, which
// pages show as plain text outside the rendered body, get French
// punctuation spacing at load, and English ones stay as written.
func TestFrenchFrontMatterTypography(t *testing.T) {
	const nnbsp, nbsp = "\u202F", "\u00A0"
	files := map[string]string{
		"fr/sample/index.md":    "---\ntitle: \"Qui décide ?\"\nsummary: \"Trois idées : la gravité, les rôles, la demande.\"\norder: 1\n---\n",
		"fr/sample/01-first.md": "---\ntitle: \"Étape 1 : « vérifier »\"\nminutes: 4\n---\n",
		"en/sample/index.md":    "---\ntitle: \"Who decides?\"\nsummary: \"Three ideas: severity.\"\norder: 1\n---\n",
	}
	cat, err := lessons.Load(module(files), "content", plainRenderers())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, got, want string
	}{
		{"French module title", mustModule(t, cat, "fr").Title, "Qui décide" + nnbsp + "?"},
		{"French summary", mustModule(t, cat, "fr").Summary, "Trois idées" + nbsp + ": la gravité, les rôles, la demande."},
		{"French unit title", mustModule(t, cat, "fr").Units[0].Title, "Étape 1" + nbsp + ": «" + nbsp + "vérifier" + nbsp + "»"},
		{"English title as written", mustModule(t, cat, "en").Title, "Who decides?"},
		{"English summary as written", mustModule(t, cat, "en").Summary, "Three ideas: severity."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
}

func mustModule(t *testing.T, cat *lessons.Catalog, lang string) *lessons.Module {
	t.Helper()
	m, err := cat.Module(lang, "sample")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestEmbeddedModule(t *testing.T) {
	cat, err := lessons.Load(content.FS, "content", plainRenderers())
	if err != nil {
		t.Fatal(err)
	}
	en, err := cat.Module("en", "get-help-from-microsoft")
	if err != nil {
		t.Fatal(err)
	}
	fr, err := cat.Module("fr", "get-help-from-microsoft")
	if err != nil {
		t.Fatal(err)
	}
	if len(en.Units) < 5 {
		t.Errorf("the module has %d units, want at least 5", len(en.Units))
	}
	// The language switch keeps the address: both languages need the same units.
	if len(en.Units) != len(fr.Units) {
		t.Fatalf("en has %d units, fr %d", len(en.Units), len(fr.Units))
	}
	for i := range en.Units {
		if en.Units[i].Slug != fr.Units[i].Slug {
			t.Errorf("unit %d is %q in en and %q in fr", i+1, en.Units[i].Slug, fr.Units[i].Slug)
		}
	}
	if en.Title != "Get help from Microsoft" || fr.Title != "Demander de l'aide à Microsoft" {
		t.Errorf("titles %q / %q", en.Title, fr.Title)
	}
}

// productionRenderers builds the renderers the server uses, with the
// callout titles of the interface catalogues.
func productionRenderers(t *testing.T) map[string]*markdown.Renderer {
	t.Helper()
	sub, err := fs.Sub(views.FS, "locales")
	if err != nil {
		t.Fatal(err)
	}
	loc, err := locale.Load(sub)
	if err != nil {
		t.Fatal(err)
	}
	return library.Renderers(loc)
}

// TestGoldenLesson pins the rendered HTML of one lesson: a change in
// goldmark, its options or the callout transformer shows up as a diff.
// Run `go test ./app/lessons -update` to accept a deliberate change.
func TestGoldenLesson(t *testing.T) {
	cat, err := lessons.Load(content.FS, "content", productionRenderers(t))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ lang, unit, golden string }{
		{"en", "severity-levels", "severity-levels.en.golden"},
		{"fr", "severity-levels", "severity-levels.fr.golden"},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			m, err := cat.Module(tt.lang, "get-help-from-microsoft")
			if err != nil {
				t.Fatal(err)
			}
			u, _ := m.Unit(tt.unit)
			if u == nil {
				t.Fatalf("no unit %s", tt.unit)
			}
			got := string(u.HTML)
			path := filepath.Join("testdata", tt.golden)
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./app/lessons -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("rendered %s differs from %s (run with -update if the change is wanted):\n%s", u.Path, path, diff(string(want), got))
			}
			for _, must := range []string{"<table>", `<h2 id="severity">`, `class="callout callout-important"`} {
				if !strings.Contains(got, must) {
					t.Errorf("rendered lesson lacks %s", must)
				}
			}
		})
	}
}

// diff shows the first differing line of two texts with its neighbours.
func diff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return "line " + strconv.Itoa(i+1) + ":\n- " + a + "\n+ " + b
		}
	}
	return ""
}
