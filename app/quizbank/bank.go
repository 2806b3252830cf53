// Package quizbank loads and validates knowledge checks and sandbox scenarios
// from YAML files (SupportLab's native format, which follows Microsoft
// Learn's quiz schema, and Learn's own ModuleUnit files) and from the GIFT
// and Aiken files other quiz tools export. It reports every problem of a
// file at once, each as path:line: message, so that a trainer fixes a file
// in one pass; it never keeps a half-loaded file, and it refuses a file over
// SPEC's limits (size, questions, choices) without building what lies past
// them.
package quizbank

import (
	"html/template"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"

	"supportlab/app/markdown"
	"supportlab/app/supportlab"
	"supportlab/app/yamldoc"
)

// Bank is the set of loaded quizzes and scenarios. It is safe for concurrent
// use: readers never see a quiz that failed validation.
type Bank struct {
	renderers map[string]*markdown.Renderer

	mu        sync.RWMutex
	quizzes   map[string]*supportlab.Quiz
	scenarios map[string]*supportlab.Scenario
}

// New returns an empty bank that renders markdown with the given renderer
// per language.
func New(renderers map[string]*markdown.Renderer) *Bank {
	return &Bank{
		renderers: renderers,
		quizzes:   map[string]*supportlab.Quiz{},
		scenarios: map[string]*supportlab.Scenario{},
	}
}

// Load reads every quiz file (*.yml, *.yaml at the top of fsys) and every
// scenario file (scenarios/*.yml) into the bank. prefix is prepended to
// paths in messages so that they point at the real file ("quizzes/x.yml").
// On any problem nothing is added and all problems are returned.
func (b *Bank) Load(fsys fs.FS, prefix string) error {
	var ps supportlab.Problems
	var quizzes []*supportlab.Quiz
	var scenarios []*supportlab.Scenario
	sources := map[string][]byte{} // by shown path, to locate a duplicate uid
	for _, dir := range []string{".", "scenarios"} {
		entries, err := fs.ReadDir(fsys, dir)
		if err != nil {
			if dir == "scenarios" {
				continue
			}
			ps.Add(prefix, 0, "cannot read folder: %v", err)
			break
		}
		for _, e := range entries {
			name := e.Name()
			if e.IsDir() || !(strings.HasSuffix(name, ".yml") || strings.HasSuffix(name, ".yaml")) {
				continue
			}
			rel := path.Join(dir, name)
			shown := path.Join(prefix, rel)
			// A file over the size limit is refused unread.
			if info, err := fs.Stat(fsys, rel); err == nil && info.Size() > supportlab.MaxImportBytes {
				ps = append(ps, checkSize(shown, info.Size())...)
				continue
			}
			src, err := fs.ReadFile(fsys, rel)
			if err != nil {
				ps.Add(shown, 0, "cannot read file: %v", err)
				continue
			}
			sources[shown] = src
			if dir == "scenarios" {
				s, sp := b.ParseScenario(shown, src)
				ps = append(ps, sp...)
				if s != nil {
					scenarios = append(scenarios, s)
				}
			} else {
				q, qp := b.ParseQuiz(shown, src)
				ps = append(ps, qp...)
				if q != nil {
					quizzes = append(quizzes, q)
				}
			}
		}
	}
	checkUnique(&ps, quizzes, func(q *supportlab.Quiz) (string, string) { return q.UID, q.Path }, sources)
	checkUnique(&ps, scenarios, func(s *supportlab.Scenario) (string, string) { return s.UID, s.Path }, sources)
	if len(ps) > 0 {
		ps.Sort()
		return ps
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, q := range quizzes {
		b.quizzes[q.UID] = q
	}
	for _, s := range scenarios {
		b.scenarios[s.UID] = s
	}
	return nil
}

// checkUnique reports every item whose uid an earlier item (of the same
// kind: a quiz and a scenario may share a uid) already uses.
func checkUnique[T any](ps *supportlab.Problems, items []T, key func(T) (uid, path string), sources map[string][]byte) {
	seen := map[string]string{}
	for _, it := range items {
		uid, path := key(it)
		if other, ok := seen[uid]; ok {
			ps.Add(path, uidLine(path, sources[path]), "uid %q is already used by %s", uid, other)
		}
		seen[uid] = path
	}
}

// uidLine is the line of a valid file's uid field, for the rare message
// that needs it after parsing (a uid used by two files).
func uidLine(path string, src []byte) int {
	root, _ := yamldoc.Parse(path, src, 0)
	return yamldoc.LineOf(root, "uid", 1)
}

// Quiz returns the quiz with uid, or a not-found error.
func (b *Bank) Quiz(uid string) (*supportlab.Quiz, error) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	if q, ok := b.quizzes[uid]; ok {
		return q, nil
	}
	return nil, supportlab.NewError(supportlab.ENOTFOUND, "error.not_found.quiz", "UID", uid)
}

// Scenario returns the scenario with uid, or a not-found error.
func (b *Bank) Scenario(uid string) (*supportlab.Scenario, error) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	if s, ok := b.scenarios[uid]; ok {
		return s, nil
	}
	return nil, supportlab.NewError(supportlab.ENOTFOUND, "error.not_found.scenario", "UID", uid)
}

// Quizzes returns the quizzes, sorted by uid; lang "" means every language.
func (b *Bank) Quizzes(lang string) []*supportlab.Quiz {
	b.mu.RLock()
	defer b.mu.RUnlock()
	var out []*supportlab.Quiz
	for _, q := range b.quizzes {
		if lang == "" || q.Lang == lang {
			out = append(out, q)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].UID < out[j].UID })
	return out
}

// Scenarios returns the scenarios, sorted by title; lang "" means all.
func (b *Bank) Scenarios(lang string) []*supportlab.Scenario {
	b.mu.RLock()
	defer b.mu.RUnlock()
	var out []*supportlab.Scenario
	for _, s := range b.scenarios {
		if lang == "" || s.Lang == lang {
			out = append(out, s)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Title != out[j].Title {
			return out[i].Title < out[j].Title
		}
		return out[i].UID < out[j].UID
	})
	return out
}

// renderer wraps the markdown renderer of a language; rendering into a
// buffer cannot fail, so errors become empty HTML.
type renderer struct{ r *markdown.Renderer }

func (b *Bank) renderer(lang string) renderer {
	if r, ok := b.renderers[lang]; ok {
		return renderer{r}
	}
	return renderer{b.renderers["en"]}
}

func (r renderer) block(src string) template.HTML {
	h, _ := r.r.Render(src)
	return h
}

func (r renderer) inline(src string) template.HTML {
	h, _ := r.r.RenderInline(src)
	return h
}
