package locale_test

import (
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"go.yaml.in/yaml/v3"

	"supportlab/app/locale"
	"supportlab/app/supportlab"
	"supportlab/views"
)

func catalogues(t *testing.T) fs.FS {
	t.Helper()
	sub, err := fs.Sub(views.FS, "locales")
	if err != nil {
		t.Fatal(err)
	}
	return sub
}

func load(t *testing.T) *locale.Catalog {
	t.Helper()
	c, err := locale.Load(catalogues(t))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// missing returns the keys of a that b lacks.
func missing(a, b []string) []string {
	in := map[string]bool{}
	for _, k := range b {
		in[k] = true
	}
	var out []string
	for _, k := range a {
		if !in[k] {
			out = append(out, k)
		}
	}
	return out
}

// TestLanguagesHaveTheSameKeys catches a string added in one language
// only: the page would show the message id to the other language's users.
func TestLanguagesHaveTheSameKeys(t *testing.T) {
	c := load(t)
	en, fr := c.Keys("en"), c.Keys("fr")
	if len(en) == 0 {
		t.Fatal("no English messages")
	}
	if m := missing(en, fr); len(m) > 0 {
		t.Errorf("fr lacks %d key(s) that en has:\n  %s", len(m), strings.Join(m, "\n  "))
	}
	if m := missing(fr, en); len(m) > 0 {
		t.Errorf("en lacks %d key(s) that fr has:\n  %s", len(m), strings.Join(m, "\n  "))
	}
}

// TestFeatureFilesPair checks each feature's catalogue file against its
// twin, so that the message names the file to fix, and that plural
// messages have their forms in both.
func TestFeatureFilesPair(t *testing.T) {
	fsys := catalogues(t)
	names, err := fs.Glob(fsys, "*.en.yaml")
	if err != nil || len(names) == 0 {
		t.Fatalf("no English catalogue: %v", err)
	}
	frNames, _ := fs.Glob(fsys, "*.fr.yaml")
	if len(frNames) != len(names) {
		t.Errorf("%d English catalogue files but %d French ones: %v / %v", len(names), len(frNames), names, frNames)
	}
	read := func(name string) map[string]any {
		t.Helper()
		buf, err := fs.ReadFile(fsys, name)
		if err != nil {
			t.Error(err)
			return nil
		}
		m := map[string]any{}
		if err := yaml.Unmarshal(buf, &m); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		return m
	}
	for _, enName := range names {
		frName := strings.TrimSuffix(enName, ".en.yaml") + ".fr.yaml"
		en, fr := read(enName), read(frName)
		keys := func(m map[string]any) []string {
			var out []string
			for k := range m {
				out = append(out, k)
			}
			sort.Strings(out)
			return out
		}
		if m := missing(keys(en), keys(fr)); len(m) > 0 {
			t.Errorf("%s lacks, from %s:\n  %s", frName, enName, strings.Join(m, "\n  "))
		}
		if m := missing(keys(fr), keys(en)); len(m) > 0 {
			t.Errorf("%s lacks, from %s:\n  %s", enName, frName, strings.Join(m, "\n  "))
		}
		for _, cat := range []struct {
			name string
			m    map[string]any
		}{{enName, en}, {frName, fr}} {
			for k, v := range cat.m {
				switch v := v.(type) {
				case string:
					if strings.TrimSpace(v) == "" {
						t.Errorf("%s: %s is empty", cat.name, k)
					}
				case map[string]any:
					if v["one"] == nil || v["other"] == nil {
						t.Errorf("%s: plural message %s needs both one and other", cat.name, k)
					}
				}
			}
		}
	}
}

var (
	templateKey = regexp.MustCompile(`\bTN? "([^"]+)"`)
	goKey       = regexp.MustCompile(`\bTN?\("([^"]+)"`)
	// errorKey finds the catalogue ids of domain errors and form problems,
	// which any package may create and the pages translate.
	errorKey = regexp.MustCompile(`(?:NewError\([^,()]+,\s*|Key:\s*)"([^"]+)"`)
)

// TestUsedKeysExist finds the message ids written out in templates and Go
// handlers and checks that both languages define them. Ids built at run
// time (a literal prefix such as "flash.") are left to their own tests.
func TestUsedKeysExist(t *testing.T) {
	c := load(t)
	have := map[string]map[string]bool{}
	for _, lang := range supportlab.Languages {
		have[lang] = map[string]bool{}
		for _, k := range c.Keys(lang) {
			have[lang][k] = true
		}
	}
	used := map[string][]string{} // key -> where
	err := fs.WalkDir(views.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".html") {
			return err
		}
		buf, err := fs.ReadFile(views.FS, path)
		for _, m := range templateKey.FindAllStringSubmatch(string(buf), -1) {
			used[m[1]] = append(used[m[1]], "views/"+path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	err = filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		buf, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		where := filepath.ToSlash(filepath.Join("app", strings.TrimPrefix(path, "..")))
		patterns := []*regexp.Regexp{errorKey}
		if strings.Contains(where, "app/web/") {
			patterns = append(patterns, goKey)
		}
		for _, re := range patterns {
			for _, m := range re.FindAllStringSubmatch(string(buf), -1) {
				used[m[1]] = append(used[m[1]], where)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The error page builds its ids from the status.
	for _, status := range []int{400, 401, 403, 404, 405, 409, 413, 422, 429, 500, 503} {
		for _, prefix := range []string{"error.title.", "error.text."} {
			k := prefix + http.StatusText(status)
			used[k] = append(used[k], "app/web/server.go (statusKey)")
		}
	}
	for _, k := range []string{"NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION"} {
		used["callout."+k] = append(used["callout."+k], "app/main.go (callout titles)")
	}
	if len(used) < 20 {
		t.Fatalf("found only %d message ids in use; is the pattern still right?", len(used))
	}
	var problems []string
	for k, where := range used {
		if strings.HasSuffix(k, ".") || strings.HasSuffix(k, "_") {
			continue
		}
		for _, lang := range supportlab.Languages {
			if !have[lang][k] {
				problems = append(problems, lang+": "+k+" (used in "+strings.Join(dedupe(where), ", ")+")")
			}
		}
	}
	sort.Strings(problems)
	if len(problems) > 0 {
		t.Errorf("message ids used but not defined:\n  %s", strings.Join(problems, "\n  "))
	}
}

func dedupe(xs []string) []string {
	sort.Strings(xs)
	var out []string
	for i, x := range xs {
		if i == 0 || x != xs[i-1] {
			out = append(out, x)
		}
	}
	return out
}

func TestNegotiate(t *testing.T) {
	tests := []struct{ header, want string }{
		{"fr;q=0.9,en;q=0.8", "fr"},
		{"en;q=0.5,fr;q=0.9", "fr"},
		{"de,en", "en"},
		{"de", ""},
		{"", ""},
		{"fr-CA", "fr"},
		{"FR-be,en;q=0.1", "fr"},
		{"en-GB,en;q=0.9,fr;q=0.8", "en"},
		{"*", ""},
		{"de;q=1,fr;q=0", ""},
		{";;;garbage", ""},
	}
	for _, tt := range tests {
		t.Run(tt.header, func(t *testing.T) {
			if got := locale.Negotiate(tt.header); got != tt.want {
				t.Errorf("Negotiate(%q) = %q, want %q", tt.header, got, tt.want)
			}
		})
	}
}

func TestTranslate(t *testing.T) {
	c := load(t)
	tests := []struct {
		name, lang, got, want string
	}{
		{"plain en", "en", c.Translator("en").T("nav.learn"), "Learn"},
		{"plain fr", "fr", c.Translator("fr").T("result.heading"), "Résultats"},
		{"data", "en", c.Translator("en").T("unit.position", "N", 2, "Total", 5), "Unit 2 of 5"},
		{"unknown language is English", "de", c.Translator("de").T("nav.learn"), "Learn"},
		{"missing id shows the id", "en", c.Translator("en").T("no.such.key"), "no.such.key"},
		{"en one", "en", c.Translator("en").TN("module.units", 1), "1 unit"},
		{"en other", "en", c.Translator("en").TN("module.units", 5), "5 units"},
		{"en zero is plural", "en", c.Translator("en").TN("module.units", 0), "0 units"},
		{"fr one", "fr", c.Translator("fr").TN("module.units", 1), "1 unité"},
		{"fr zero is singular", "fr", c.Translator("fr").TN("module.units", 0), "0 unité"},
		{"fr other", "fr", c.Translator("fr").TN("module.units", 2), "2 unités"},
		{"plural with data", "en", c.Translator("en").TN("quiz.question_count", 12), "12 questions"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name  string
		files fstest.MapFS
		want  string
	}{
		{"no French catalogue", fstest.MapFS{"app.en.yaml": {Data: []byte("a: b\n")}}, "no catalogue for fr"},
		{"broken YAML", fstest.MapFS{
			"app.en.yaml": {Data: []byte("a: [b\n")},
			"app.fr.yaml": {Data: []byte("a: b\n")},
		}, "app.en.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := locale.Load(tt.files)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load = %v, want an error mentioning %q", err, tt.want)
			}
		})
	}
}
