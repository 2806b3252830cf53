package web

import (
	"io"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"

	"supportlab/app/quizbank"
	"supportlab/app/supportlab"
)

// authorPage lists the quiz bank and holds the import form.
type authorPage struct {
	Page
	Quizzes   []*supportlab.Quiz
	Scenarios []*supportlab.Scenario
	Problems  []string
	Form      authorForm
}

// authorForm keeps what the trainer typed when an import is rejected.
type authorForm struct {
	UID, Title, Lang, Filename string
}

func (s *Server) authorRoutes(app *fiber.App) {
	app.Get("/author", s.author)
	app.Post("/author/import", s.authorImport)
}

func (s *Server) author(c *fiber.Ctx) error {
	if _, err := requireTrainer(c); err != nil {
		return err
	}
	p := s.page(c, "")
	return s.renderAuthor(c, p, nil, authorForm{Lang: p.Lang})
}

func (s *Server) renderAuthor(c *fiber.Ctx, p Page, problems []string, f authorForm) error {
	p.Title, p.Nav = p.T("author.title"), "author"
	return c.Render("author", authorPage{
		Page: p, Quizzes: s.cfg.Bank.Quizzes(""), Scenarios: s.cfg.Bank.Scenarios(""),
		Problems: problems, Form: f,
	})
}

// authorImport takes an uploaded quiz or scenario file, validates it with
// the same rules as the files shipped with the app, stores it (a new version
// when its content changed) and makes it live at once.
func (s *Server) authorImport(c *fiber.Ctx) error {
	u, err := requireTrainer(c)
	if err != nil {
		return err
	}
	p := s.page(c, "")
	f := authorForm{
		UID:   strings.TrimSpace(strings.Clone(c.FormValue("uid"))),
		Title: strings.TrimSpace(strings.Clone(c.FormValue("title"))),
		Lang:  canonicalLang(c.FormValue("lang")),
	}
	if f.Lang == "" {
		f.Lang = p.Lang
	}
	reject := func(msgs ...string) error {
		c.Status(fiber.StatusUnprocessableEntity)
		return s.renderAuthor(c, p, msgs, f)
	}
	if f.UID != "" && !supportlab.SlugPattern.MatchString(f.UID) {
		return reject(p.T("author.bad_uid", "UID", f.UID))
	}
	fh, err := c.FormFile("file")
	if err != nil {
		return reject(p.T("author.no_file"))
	}
	f.Filename = path.Base(strings.ReplaceAll(fh.Filename, `\`, "/"))
	if fh.Size > supportlab.MaxImportBytes {
		return reject(p.T("author.too_large", "KB", supportlab.MaxImportBytes>>10))
	}
	file, err := fh.Open()
	if err != nil {
		return reject(p.T("author.no_file"))
	}
	defer file.Close()
	src, err := io.ReadAll(io.LimitReader(file, supportlab.MaxImportBytes+1))
	if err != nil || len(src) == 0 {
		return reject(p.T("author.empty"))
	}

	up, ps := s.cfg.Bank.ParseUpload(f.Filename, src, quizbank.ImportMeta{UID: f.UID, Title: f.Title, Lang: f.Lang})
	if len(ps) > 0 {
		ps.Sort()
		msgs := make([]string, len(ps))
		for i, pr := range ps {
			msgs[i] = pr.String()
		}
		return reject(msgs...)
	}
	imp := &supportlab.Import{
		Kind: up.Kind(), UID: up.UID(), Format: up.Format, Filename: f.Filename,
		Title: f.Title, Lang: f.Lang, Source: src, AuthorID: u.ID,
	}
	hash, body := up.Content()
	if err := s.cfg.Imports.SaveImport(c.UserContext(), imp, hash, body); err != nil {
		return err
	}
	up.SetVersion(imp.Version)
	s.cfg.Bank.Put(up)
	flash(c, "author_imported")
	return seeOther(c, "/author")
}
