package web

import (
	"errors"
	"io"
	"path"
	"sort"
	"strings"

	"github.com/gofiber/fiber/v2"

	"supportlab/app/supportlab"
	"supportlab/app/training"
)

// authorPage lists the quiz bank and holds the import form.
type authorPage struct {
	Page
	// Quizzes and Scenarios are grouped with their translations.
	Quizzes   []translations[*supportlab.Quiz]
	Scenarios []translations[*supportlab.Scenario]
	Problems  []string
	Form      authorForm
	// Retired holds supportlab.BestKey(kind, uid) of the retired items:
	// trainers still see them here, marked.
	Retired map[string]bool
}

// IsRetired reports whether the quiz or scenario is retired.
func (p authorPage) IsRetired(kind, uid string) bool {
	return p.Retired[supportlab.BestKey(kind, uid)]
}

// translations are the versions of one quiz or scenario in each language,
// shown together on the author page under the title of the first.
type translations[T any] struct {
	Title string
	Items []T
}

// groupTranslations groups items whose uids differ only by their -en/-fr
// ending, keeping the order of first appearance, English first within a
// group.
func groupTranslations[T any](items []T, uid, title, lang func(T) string) []translations[T] {
	var out []translations[T]
	at := map[string]int{}
	for _, it := range items {
		base := translationBase(uid(it))
		i, ok := at[base]
		if !ok {
			i = len(out)
			at[base] = i
			out = append(out, translations[T]{})
		}
		out[i].Items = append(out[i].Items, it)
	}
	for i := range out {
		g := out[i].Items
		sort.SliceStable(g, func(a, b int) bool { return lang(g[a]) < lang(g[b]) })
		out[i].Title = title(g[0])
	}
	return out
}

// authorForm keeps what the trainer typed when an import is refused.
type authorForm struct {
	UID, Title, Lang, Filename string
}

func (s *Server) author(c *fiber.Ctx) error {
	p := s.page(c, "")
	return s.renderAuthor(c, fiber.StatusOK, p, nil, authorForm{Lang: p.Lang})
}

func (s *Server) renderAuthor(c *fiber.Ctx, status int, p Page, problems []string, f authorForm) error {
	quizzes, scenarios, err := s.svc.Bank(p.User)
	if err != nil {
		return err
	}
	p.Title, p.Nav = p.T("author.title"), "author"
	retired := map[string]bool{}
	for _, q := range quizzes {
		if s.svc.Retired(supportlab.KindQuiz, q.UID) {
			retired[supportlab.BestKey(supportlab.KindQuiz, q.UID)] = true
		}
	}
	for _, sc := range scenarios {
		if s.svc.Retired(supportlab.KindSandbox, sc.UID) {
			retired[supportlab.BestKey(supportlab.KindSandbox, sc.UID)] = true
		}
	}
	return c.Status(status).Render("author", authorPage{
		Page: p, Problems: problems, Form: f, Retired: retired,
		Quizzes: groupTranslations(quizzes,
			func(q *supportlab.Quiz) string { return q.UID },
			func(q *supportlab.Quiz) string { return q.Title },
			func(q *supportlab.Quiz) string { return q.Lang }),
		Scenarios: groupTranslations(scenarios,
			func(sc *supportlab.Scenario) string { return sc.UID },
			func(sc *supportlab.Scenario) string { return sc.Title },
			func(sc *supportlab.Scenario) string { return sc.Lang }),
	})
}

// authorImport takes an uploaded quiz or scenario file; training.Service
// checks it with the same rules as the files shipped with the app, stores
// it as a new version and makes it live at once.
func (s *Server) authorImport(c *fiber.Ctx) error {
	u := currentUser(c)
	p := s.page(c, "")
	f := authorForm{
		UID:   strings.TrimSpace(bodyValue(c, "uid")),
		Title: strings.TrimSpace(bodyValue(c, "title")),
		Lang:  canonicalLang(bodyValue(c, "lang")),
	}
	if f.Lang == "" {
		f.Lang = p.Lang
	}
	req := training.ImportRequest{Meta: supportlab.ImportMeta{UID: f.UID, Title: f.Title, Lang: f.Lang}}
	if fh, err := c.FormFile("file"); err == nil {
		f.Filename = path.Base(strings.ReplaceAll(fh.Filename, `\`, "/"))
		req.Filename = f.Filename
		if file, err := fh.Open(); err == nil {
			req.Source, _ = io.ReadAll(io.LimitReader(file, supportlab.MaxImportBytes+1))
			file.Close()
		}
	}
	item, err := s.svc.Import(c.UserContext(), u, req)
	var ps supportlab.Problems
	switch {
	case errors.As(err, &ps):
		msgs := make([]string, len(ps))
		for i, pr := range ps {
			msgs[i] = pr.String()
		}
		return s.renderAuthor(c, fiber.StatusUnprocessableEntity, p, msgs, f)
	case supportlab.ErrorCode(err) == supportlab.EINVALID:
		_, msgs := p.fieldMessages(err)
		return s.renderAuthor(c, fiber.StatusUnprocessableEntity, p, msgs, f)
	case err != nil:
		return err
	}
	if item.Quiz != nil && item.Quiz.NoExplanations {
		s.flash(c, "author_imported_no_explanations")
	} else {
		s.flash(c, "author_imported")
	}
	return seeOther(c, "/author")
}
