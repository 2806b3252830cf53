// Package library assembles SupportLab's content library: the interface
// catalogues, the lessons, the quizzes and the sandbox scenarios, from the
// files embedded in the binary or from folders on disk, with the checks
// between them (a lesson's quiz must exist). The server, the validate
// command and the tests all load content through it, so they see the same
// library built the same way.
package library

import (
	"context"
	"errors"
	"io/fs"
	"path"
	"strings"

	"supportlab/app/lessons"
	"supportlab/app/locale"
	"supportlab/app/markdown"
	"supportlab/app/quizbank"
	"supportlab/app/supportlab"
	"supportlab/content"
	"supportlab/quizzes"
	"supportlab/views"
)

// Sources says where each part of the library comes from. A nil FS means
// the embedded files; the names prefix paths in problems ("quizzes/x.yml").
type Sources struct {
	Locales     fs.FS // "<feature>.<lang>.yaml" catalogues
	Content     fs.FS // <lang>/<module>/*.md
	ContentName string
	Quizzes     fs.FS // *.yml and scenarios/*.yml
	QuizzesName string
}

// Library is the loaded content.
type Library struct {
	Locale    *locale.Catalog
	Lessons   *lessons.Catalog
	Bank      *quizbank.Bank
	Renderers map[string]*markdown.Renderer
	// Warnings are lesson quiz references that name no quiz when lessons
	// and quizzes come from different places (the embedded lessons with a
	// trainer's own quiz folder, say): the units show no knowledge check,
	// and the quiz folder is not refused for what it was never meant to hold.
	Warnings supportlab.Problems

	// shipped locates the file of each quiz and scenario loaded from the
	// quiz folder, by BestKey(kind, uid): imports replace items in the
	// bank, but the editor still opens a shipped item on its file.
	quizzes fs.FS
	shipped map[string]shippedFile
}

// shippedFile is where a loaded quiz or scenario came from.
type shippedFile struct {
	path, hash string // path inside the quiz folder
}

// Renderers returns a markdown renderer per language whose callout titles
// come from the interface catalogue.
func Renderers(loc *locale.Catalog) map[string]*markdown.Renderer {
	rs := make(map[string]*markdown.Renderer, len(supportlab.Languages))
	for _, lang := range supportlab.Languages {
		tr := loc.Translator(lang)
		labels := map[string]string{}
		for _, k := range markdown.CalloutKinds {
			labels[k] = tr.T("callout." + k)
		}
		rs[lang] = markdown.New(labels, markdown.ForLanguage(lang))
	}
	return rs
}

// Load reads every part of the library. Problems in content files come back
// together as one supportlab.Problems error, every one as path:line.
func Load(src Sources) (*Library, error) {
	// References between lessons and quizzes are checked strictly when both
	// come from the same place: the embedded set, or folders on disk.
	sameSource := (src.Content == nil) == (src.Quizzes == nil)
	if src.Locales == nil {
		sub, err := fs.Sub(views.FS, "locales")
		if err != nil {
			return nil, err
		}
		src.Locales = sub
	}
	if src.Content == nil {
		src.Content, src.ContentName = content.FS, "content"
	}
	if src.Quizzes == nil {
		src.Quizzes, src.QuizzesName = quizzes.FS, "quizzes"
	}
	loc, err := locale.Load(src.Locales)
	if err != nil {
		return nil, err
	}
	lib := &Library{Locale: loc, Renderers: Renderers(loc)}

	var ps supportlab.Problems
	cat, err := lessons.Load(src.Content, src.ContentName, lib.Renderers)
	if err := collect(&ps, err); err != nil {
		return nil, err
	}
	bank := quizbank.New(lib.Renderers)
	if err := collect(&ps, bank.Load(src.Quizzes, src.QuizzesName)); err != nil {
		return nil, err
	}
	if cat != nil && len(ps) == 0 {
		refs := cat.QuizRefs(func(uid string) bool { _, err := bank.Quiz(uid); return err == nil })
		if sameSource {
			ps = append(ps, refs...)
		} else {
			refs.Sort()
			lib.Warnings = refs
		}
	}
	if len(ps) > 0 {
		ps.Sort()
		return nil, ps
	}
	lib.Lessons, lib.Bank = cat, bank
	lib.quizzes, lib.shipped = src.Quizzes, map[string]shippedFile{}
	prefix := path.Clean(src.QuizzesName) + "/" // quizbank shows path.Join(name, file)
	for _, q := range bank.Quizzes("") {
		lib.shipped[supportlab.BestKey(supportlab.KindQuiz, q.UID)] = shippedFile{strings.TrimPrefix(q.Path, prefix), q.Hash}
	}
	for _, sc := range bank.Scenarios("") {
		lib.shipped[supportlab.BestKey(supportlab.KindSandbox, sc.UID)] = shippedFile{strings.TrimPrefix(sc.Path, prefix), sc.Hash}
	}
	return lib, nil
}

// ShippedSource implements supportlab.ShippedFiles: the text of the file
// kind/uid was loaded from at start-up, read again from the quiz folder.
func (l *Library) ShippedSource(kind, uid string) ([]byte, string, bool) {
	f, ok := l.shipped[supportlab.BestKey(kind, uid)]
	if !ok {
		return nil, "", false
	}
	src, err := fs.ReadFile(l.quizzes, f.path)
	if err != nil {
		return nil, "", false
	}
	return src, f.hash, true
}

var _ supportlab.ShippedFiles = (*Library)(nil)

// collect appends content problems to ps and returns any other error.
func collect(ps *supportlab.Problems, err error) error {
	var p supportlab.Problems
	if errors.As(err, &p) {
		*ps = append(*ps, p...)
		return nil
	}
	return err
}

// RegisterVersions gives every quiz and scenario its version number: the
// same number while a file's graded content is unchanged, the next one when
// it changed, so that saved attempts keep the version they answered.
func (l *Library) RegisterVersions(ctx context.Context, vs supportlab.VersionService) error {
	for _, q := range l.Bank.Quizzes("") {
		v, err := vs.EnsureVersion(ctx, supportlab.KindQuiz, q.UID, q.Hash, quizbank.Body(q))
		if err != nil {
			return err
		}
		q.Version = v
	}
	for _, s := range l.Bank.Scenarios("") {
		v, err := vs.EnsureVersion(ctx, supportlab.KindSandbox, s.UID, s.Hash, quizbank.Body(s))
		if err != nil {
			return err
		}
		s.Version = v
	}
	return nil
}
