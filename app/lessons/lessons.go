// Package lessons loads the lesson modules (markdown with YAML front matter,
// one folder per language and module) and renders them once, at start-up,
// so that serving a lesson is a map lookup.
package lessons

import (
	"bytes"
	"errors"
	"html/template"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"supportlab/app/markdown"
	"supportlab/app/supportlab"
	"supportlab/app/typography"
	"supportlab/app/yamldoc"
)

// Module and Unit are the domain's lesson types; the aliases keep this
// package's callers reading lessons.Module.
type (
	Module = supportlab.Module
	Unit   = supportlab.Unit
)

// Catalog holds every module of every language.
type Catalog struct {
	modules map[string][]*Module // by language, sorted by order
}

// Modules returns the modules of lang in order.
func (c *Catalog) Modules(lang string) []*Module { return c.modules[lang] }

// Module returns the module slug of lang, or a not-found error.
func (c *Catalog) Module(lang, slug string) (*Module, error) {
	for _, m := range c.modules[lang] {
		if m.Slug == slug {
			return m, nil
		}
	}
	return nil, supportlab.NewError(supportlab.ENOTFOUND, "error.not_found.module", "Slug", slug)
}

// QuizRefs checks every unit's quiz reference with exists and returns a
// problem for each one that names no quiz.
func (c *Catalog) QuizRefs(exists func(uid string) bool) supportlab.Problems {
	var ps supportlab.Problems
	for _, mods := range c.modules {
		for _, m := range mods {
			for _, u := range m.Units {
				if u.Quiz != "" && !exists(u.Quiz) {
					ps.Add(u.Path, u.QuizLine, "quiz %q does not exist", u.Quiz)
				}
			}
		}
	}
	return ps
}

var unitName = regexp.MustCompile(`^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$`)

var (
	indexSchema = yamldoc.Schema{"title": nil, "summary": nil, "order": nil}
	unitSchema  = yamldoc.Schema{"title": nil, "minutes": nil, "quiz": nil}
)

type indexMatter struct {
	Title   string `yaml:"title"`
	Summary string `yaml:"summary"`
	Order   int    `yaml:"order"`
}

type unitMatter struct {
	Title   string `yaml:"title"`
	Minutes int    `yaml:"minutes"`
	Quiz    string `yaml:"quiz"`
}

// Load reads content/<lang>/<module>/ from fsys. prefix is prepended to paths
// in problems. Renderers give the markdown renderer of each language.
func Load(fsys fs.FS, prefix string, renderers map[string]*markdown.Renderer) (*Catalog, error) {
	c := &Catalog{modules: map[string][]*Module{}}
	var ps supportlab.Problems
	found := 0
	for _, lang := range supportlab.Languages {
		dirs, err := fs.ReadDir(fsys, lang)
		if errors.Is(err, fs.ErrNotExist) {
			continue // a library may teach in one language only
		} else if err != nil {
			ps.Add(path.Join(prefix, lang), 0, "cannot read folder: %v", err)
			continue
		}
		found++
		for _, d := range dirs {
			if !d.IsDir() {
				continue
			}
			m := loadModule(fsys, prefix, lang, d.Name(), renderers[lang], &ps)
			if m != nil {
				c.modules[lang] = append(c.modules[lang], m)
			}
		}
		sort.SliceStable(c.modules[lang], func(i, j int) bool {
			a, b := c.modules[lang][i], c.modules[lang][j]
			if a.Order != b.Order {
				return a.Order < b.Order
			}
			return a.Slug < b.Slug
		})
	}
	if found == 0 && len(ps) == 0 {
		ps.Add(prefix, 0, "no lessons: expected a folder en/ or fr/ of modules")
	}
	if len(ps) > 0 {
		ps.Sort()
		return nil, ps
	}
	return c, nil
}

func loadModule(fsys fs.FS, prefix, lang, slug string, r *markdown.Renderer, ps *supportlab.Problems) *Module {
	dir := path.Join(lang, slug)
	if !supportlab.SlugPattern.MatchString(slug) {
		ps.Add(path.Join(prefix, dir), 0, "module folder name %q may only hold lower-case letters, digits and dashes", slug)
		return nil
	}
	before := len(*ps)
	m := &Module{Slug: slug, Lang: lang, Path: path.Join(prefix, dir, "index.md")}
	var im indexMatter
	if body, ok := readDoc(fsys, path.Join(dir, "index.md"), m.Path, indexSchema, &im, ps); ok {
		m.Title, m.Summary, m.Order = plain(lang, im.Title), plain(lang, im.Summary), im.Order
		if m.Title == "" {
			ps.Add(m.Path, 1, "front matter needs a title")
		}
		m.IntroHTML = render(r, body, m.Path, ps)
	}
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		ps.Add(path.Join(prefix, dir), 0, "cannot read folder: %v", err)
		return nil
	}
	seen := map[int]string{}
	seenSlug := map[string]string{}
	unitFiles := 0 // unit files found, loaded or not
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || name == "index.md" || !strings.HasSuffix(name, ".md") {
			continue
		}
		shown := path.Join(prefix, dir, name)
		mm := unitName.FindStringSubmatch(name)
		if mm == nil {
			ps.Add(shown, 0, "unit file names look like NN-slug.md (two digits, a dash, lower-case words)")
			continue
		}
		unitFiles++
		num, _ := strconv.Atoi(mm[1])
		if other, dup := seen[num]; dup {
			ps.Add(shown, 0, "unit number %s is already used by %s", mm[1], other)
		}
		seen[num] = name
		if other, dup := seenSlug[mm[2]]; dup {
			ps.Add(shown, 0, "unit slug %q is already used by %s", mm[2], other)
		}
		seenSlug[mm[2]] = name
		u := &Unit{Slug: mm[2], Number: num, Path: shown}
		var um unitMatter
		body, ok := readDoc(fsys, path.Join(dir, name), shown, unitSchema, &um, ps)
		if !ok {
			continue
		}
		u.Title, u.Minutes, u.Quiz = plain(lang, um.Title), um.Minutes, um.Quiz
		u.QuizLine = matterLine(body.matter, "quiz")
		if u.Title == "" {
			ps.Add(shown, 1, "front matter needs a title")
		}
		if um.Minutes <= 0 {
			ps.Add(shown, max(1, matterLine(body.matter, "minutes")), "front matter needs minutes, a whole number above 0")
		}
		u.HTML = render(r, body, shown, ps)
		m.Units = append(m.Units, u)
	}
	sort.Slice(m.Units, func(i, j int) bool { return m.Units[i].Number < m.Units[j].Number })
	if unitFiles == 0 {
		ps.Add(path.Join(prefix, dir), 0, "module has no unit (NN-slug.md files)")
	}
	if len(*ps) > before {
		return nil
	}
	return m
}

// plain is a front-matter text (a title, a summary) as pages show it:
// trimmed, and in French with its punctuation spacing, set here once rather
// than on every page that lists the module. The bodies get theirs from the
// language's markdown renderer.
func plain(lang, s string) string {
	return typography.For(lang, strings.TrimSpace(s))
}

// doc is a markdown file split into front matter and body.
type doc struct {
	matter   *yaml.Node
	body     string
	bodyLine int // line of the file where the body starts
}

// readDoc reads a file, decodes its front matter strictly (keys of sch) into v and
// returns the body. Problems are reported with file line numbers.
func readDoc(fsys fs.FS, name, shown string, sch yamldoc.Schema, v any, ps *supportlab.Problems) (doc, bool) {
	src, err := fs.ReadFile(fsys, name)
	if err != nil {
		ps.Add(shown, 0, "cannot read file: %v", err)
		return doc{}, false
	}
	src = bytes.TrimPrefix(src, []byte("\ufeff"))
	text := strings.ReplaceAll(string(src), "\r\n", "\n")
	lines := strings.SplitAfter(text, "\n")
	if strings.TrimRight(lines[0], " \t\n") != "---" {
		ps.Add(shown, 1, "file must start with front matter between two --- lines")
		return doc{}, false
	}
	// The front matter ends at the next line that is exactly "---".
	end := -1
	for i := 1; i < len(lines); i++ {
		if strings.TrimRight(lines[i], " \t\n") == "---" {
			end = i
			break
		}
	}
	if end < 0 {
		ps.Add(shown, 1, "front matter is not closed by a --- line")
		return doc{}, false
	}
	matter := strings.Join(lines[1:end], "")
	if strings.TrimSpace(matter) == "" {
		ps.Add(shown, 2, "front matter is empty")
		return doc{}, false
	}
	rest := strings.Join(lines[end+1:], "")
	bodyLine := end + 2

	node, nps := yamldoc.Parse(shown, []byte(matter), 1)
	if nps == nil {
		yamldoc.CheckKeys(shown, node, sch, 1, &nps)
	}
	if nps == nil {
		if err := node.Decode(v); err != nil {
			nps = yamldoc.Problems(shown, err, 1)
		}
	}
	if nps != nil {
		*ps = append(*ps, nps...)
		return doc{}, false
	}
	return doc{matter: node, body: rest, bodyLine: bodyLine}, true
}

// matterLine returns the file line of key in the front matter, or 0.
func matterLine(n *yaml.Node, key string) int {
	if v := yamldoc.Field(n, key); v != nil {
		return v.Line + 1
	}
	return 0
}

func render(r *markdown.Renderer, d doc, shown string, ps *supportlab.Problems) template.HTML {
	h, err := r.Render(d.body)
	if err != nil {
		ps.Add(shown, d.bodyLine, "cannot render markdown: %v", err)
	}
	return h
}
