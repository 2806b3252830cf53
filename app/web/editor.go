package web

import (
	"bytes"
	"errors"
	"html/template"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"supportlab/app/supportlab"
	"supportlab/app/training"
)

// Editing in the browser (SPEC): the editor (new, edit), its preview (the
// quiz or scenario as a learner sees it, beside every problem as
// "line N: message"), save, and each item's versions with their diffs,
// sources, restore and retire. Everything works with plain forms; with
// JavaScript (static/js/app.js) the preview follows the text as it is typed,
// through the same POST /author/preview, asking for the preview fragment
// alone with the header fragmentHeader.

// fragmentHeader asks POST /author/preview for the preview region alone,
// without the page around it.
const fragmentHeader = "X-Preview-Fragment"

// editorPage is the editor: the form as sent and, after a preview or a
// refused save, what the text makes.
type editorPage struct {
	Page
	Form    training.EditorRequest
	Kind    string // of the item being edited, "" for a new one
	UID     string // of the item being edited
	Version int    // the version the text was opened at
	Retired bool
	Preview editorPreview
	Errors  map[string]string
	Formats []string
}

// Err returns the problem of a field, or "".
func (p editorPage) Err(field string) string { return p.Errors[field] }

// editorPreview is the preview region: the problems of the text, or the
// learner's view of the quiz or scenario it makes.
type editorPreview struct {
	P Page
	// Shown: a preview was asked for (else the region invites one).
	Shown    bool
	Problems []editorProblem
	// Fields are problems of the form's other fields, in words.
	Fields   []string
	Quiz     *supportlab.Quiz
	Scenario *supportlab.Scenario
	// Questions is the quiz's questions rendered with the learner's
	// templates, in file order.
	Questions template.HTML
	// Status is the sentence announced when the preview changes.
	Status string
}

// editorProblem is one problem of the text: its line, and its message.
type editorProblem struct {
	Line    int
	Message string
}

// PreviewView is what the page hands the editor-preview partial.
func (p editorPage) PreviewView() editorPreview { return p.Preview }

// readEditorForm reads the editor's fields from the body. A text without
// a language of its own (GIFT, Aiken) is in the page's language unless
// the form says otherwise.
func readEditorForm(c *fiber.Ctx, p Page) training.EditorRequest {
	req := training.EditorRequest{
		Text:   strings.ReplaceAll(bodyValue(c, "text"), "\r\n", "\n"),
		Format: strings.TrimSpace(bodyValue(c, "format")),
		UID:    strings.TrimSpace(bodyValue(c, "uid")),
		Title:  strings.TrimSpace(bodyValue(c, "title")),
		Lang:   canonicalLang(strings.TrimSpace(bodyValue(c, "lang"))),
	}
	if req.Lang == "" {
		req.Lang = p.Lang
	}
	return req
}

// authorNew shows an empty editor.
func (s *Server) authorNew(c *fiber.Ctx) error {
	p := s.page(c, "")
	d, err := s.svc.NewDraft(p.User, p.Lang)
	if err != nil {
		return err
	}
	return s.renderEditor(c, fiber.StatusOK, editorPage{Page: p, Form: d.EditorRequest})
}

// authorEdit opens the editor on the latest version of an item.
func (s *Server) authorEdit(c *fiber.Ctx) error {
	p := s.page(c, "")
	d, err := s.svc.EditItem(c.UserContext(), p.User, c.Query("kind"), c.Params("uid"))
	if err != nil {
		return err
	}
	return s.renderEditor(c, fiber.StatusOK, editorPage{Page: p, Form: d.EditorRequest, Kind: d.Kind, UID: d.UID, Version: d.Version, Retired: d.Retired})
}

// authorPreview shows what the text makes, storing nothing: 200 when it
// is valid, 422 with its problems.
func (s *Server) authorPreview(c *fiber.Ctx) error {
	p := s.page(c, "")
	form := readEditorForm(c, p)
	item, err := s.svc.PreviewItem(c.UserContext(), p.User, form)
	page := editorPage{Page: p, Form: form, UID: strings.TrimSpace(bodyValue(c, "item_uid")), Kind: canonicalKind(bodyValue(c, "item_kind"))}
	status, err := s.fillPreview(&page, item, err)
	if err != nil {
		return err
	}
	if c.Get(fragmentHeader) != "" {
		c.Status(status)
		return c.Render("partials/editor-preview", page.Preview, "")
	}
	return s.renderEditor(c, status, page)
}

// authorSave stores the text as the next version of its item and goes to
// the item's versions; a text with problems comes back with them (422).
func (s *Server) authorSave(c *fiber.Ctx) error {
	p := s.page(c, "")
	form := readEditorForm(c, p)
	item, err := s.svc.SaveItem(c.UserContext(), p.User, form)
	if err == nil {
		if item.Quiz != nil && item.Quiz.NoExplanations {
			s.flash(c, "author_imported_no_explanations")
		} else {
			s.flash(c, "editor_saved")
		}
		return seeOther(c, historyURL(item.Kind(), item.UID(), s.svc.SharedUID(item.UID())))
	}
	page := editorPage{Page: p, Form: form, UID: strings.TrimSpace(bodyValue(c, "item_uid")), Kind: canonicalKind(bodyValue(c, "item_kind"))}
	status, err := s.fillPreview(&page, nil, err)
	if err != nil {
		return err
	}
	return s.renderEditor(c, status, page)
}

// historyURL is the versions page of an item; a scenario whose uid a quiz
// shares says so.
func historyURL(kind, uid string, ambiguous bool) string {
	u := "/author/" + url.PathEscape(uid)
	if kind == supportlab.KindSandbox && ambiguous {
		u += "?kind=sandbox"
	}
	return u
}

// canonicalKind returns the package-level string for quiz or sandbox, ""
// for anything else.
func canonicalKind(k string) string {
	switch k {
	case supportlab.KindQuiz:
		return supportlab.KindQuiz
	case supportlab.KindSandbox:
		return supportlab.KindSandbox
	}
	return ""
}

// fillPreview puts in page what a preview or a refused save found: the
// learner's view of item, or the problems of err, and returns the status
// (200, or 422 with problems). Any other error is returned.
func (s *Server) fillPreview(page *editorPage, item *supportlab.Item, err error) (int, error) {
	p := page.Page
	pv := editorPreview{P: p, Shown: true}
	status := fiber.StatusOK
	var ps supportlab.Problems
	switch {
	case errors.As(err, &ps):
		for _, pr := range ps {
			pv.Problems = append(pv.Problems, editorProblem{Line: max(pr.Line, 1), Message: pr.Message})
		}
		pv.Status = p.TN("editor.preview.problems", len(pv.Problems))
		status = fiber.StatusUnprocessableEntity
	case supportlab.ErrorCode(err) == supportlab.EINVALID:
		page.Errors, pv.Fields = p.fieldMessages(err)
		pv.Status = p.TN("editor.preview.problems", len(pv.Fields))
		status = fiber.StatusUnprocessableEntity
	case err != nil:
		return 0, err
	case item != nil:
		pv.Quiz, pv.Scenario = item.Quiz, item.Scenario
		if item.Quiz != nil {
			body, err := s.previewQuestions(p, item.Quiz)
			if err != nil {
				return 0, err
			}
			pv.Questions = body
		}
		pv.Status = p.T("editor.preview.ok")
	}
	page.Preview = pv
	return status, nil
}

// previewQuestions renders a quiz's questions with the templates of the
// learner's quiz form, in file order. It does not use the quiz page's
// cache of rendered questions: a preview's quiz is never live.
func (s *Server) previewQuestions(p Page, q *supportlab.Quiz) (template.HTML, error) {
	var out, buf bytes.Buffer
	for n, question := range q.Questions {
		multiple := question.Multiple()
		var choices bytes.Buffer
		for i, ch := range question.Choices {
			buf.Reset()
			if err := s.views.Templates.ExecuteTemplate(&buf, "partials/quiz-choice", choiceFragment{
				QID: question.ID, Index: i, HTML: ch.ContentHTML, Multiple: multiple,
			}); err != nil {
				return "", err
			}
			choices.Write(buf.Bytes())
		}
		if err := s.views.Templates.ExecuteTemplate(&out, "partials/quiz-question", questionFragment{
			P: p, Q: question, Number: strconv.Itoa(n + 1), Multiple: multiple, Choices: template.HTML(choices.String()),
		}); err != nil {
			return "", err
		}
	}
	return template.HTML(out.String()), nil
}

// renderEditor shows the editor page.
func (s *Server) renderEditor(c *fiber.Ctx, status int, page editorPage) error {
	page.Nav, page.Formats = "author", training.EditorFormats
	if page.Form.Format == "" {
		page.Form.Format = training.FormatYAML
	}
	if page.UID != "" {
		page.Title = page.T("editor.title_edit", "UID", page.UID)
	} else {
		page.Title = page.T("editor.title_new")
	}
	if !page.Preview.Shown {
		page.Preview = editorPreview{P: page.Page, Status: page.T("editor.preview.none")}
	}
	return c.Status(status).Render("author_edit", page)
}

// historyPage lists an item's versions.
type historyPage struct {
	Page
	H *training.History
	// Query is "?kind=sandbox" for a scenario whose uid a quiz shares,
	// for the links of the page; Problems are those of a refused restore.
	Query    string
	Problems []string
}

// VersionDate is a version's date as the page shows it.
func (p historyPage) VersionDate(v training.VersionEntry) string {
	return v.At.UTC().Format("2006-01-02 15:04 UTC")
}

// authorHistory shows the versions of one quiz or scenario.
func (s *Server) authorHistory(c *fiber.Ctx) error {
	return s.renderHistory(c, fiber.StatusOK, c.Query("kind"), nil)
}

func (s *Server) renderHistory(c *fiber.Ctx, status int, kind string, problems []string) error {
	p := s.page(c, "")
	uid := c.Params("uid")
	h, err := s.svc.ItemHistory(c.UserContext(), p.User, kind, uid)
	if err != nil {
		return err
	}
	p.Title, p.Nav = p.T("editor.history.title", "Title", h.Title), "author"
	page := historyPage{Page: p, H: h, Problems: problems}
	if h.Kind == supportlab.KindSandbox && s.svc.SharedUID(uid) {
		page.Query = "?kind=sandbox"
	}
	return c.Status(status).Render("author_history", page)
}

// authorSource sends the text of one version, as saved.
func (s *Server) authorSource(c *fiber.Ctx) error {
	n, err := strconv.Atoi(c.Params("n"))
	if err != nil || n <= 0 {
		n = 0
	}
	text, err := s.svc.VersionSource(c.UserContext(), currentUser(c), c.Query("kind"), c.Params("uid"), n)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/plain; charset=utf-8")
	c.Set("X-Content-Type-Options", "nosniff")
	return c.Send(text)
}

// authorRestore makes a new version with the text of an older one.
func (s *Server) authorRestore(c *fiber.Ctx) error {
	kind := canonicalKind(bodyValue(c, "kind"))
	n, _ := strconv.Atoi(strings.TrimSpace(bodyValue(c, "version")))
	item, err := s.svc.RestoreVersion(c.UserContext(), currentUser(c), kind, c.Params("uid"), n)
	var ps supportlab.Problems
	switch {
	case errors.As(err, &ps):
		msgs := make([]string, len(ps))
		for i, pr := range ps {
			msgs[i] = pr.String()
		}
		return s.renderHistory(c, fiber.StatusUnprocessableEntity, kind, msgs)
	case supportlab.ErrorCode(err) == supportlab.EINVALID:
		_, msgs := s.page(c, "").fieldMessages(err)
		return s.renderHistory(c, fiber.StatusUnprocessableEntity, kind, msgs)
	case err != nil:
		return err
	}
	s.flash(c, "editor_restored")
	return seeOther(c, historyURL(item.Kind(), item.UID(), s.svc.SharedUID(item.UID())))
}

// authorRetire retires an item (retired=true) or brings it back (false).
func (s *Server) authorRetire(c *fiber.Ctx) error {
	uid := c.Params("uid")
	retired := bodyValue(c, "retired")
	kind, err := s.svc.Retire(c.UserContext(), currentUser(c), canonicalKind(bodyValue(c, "kind")), uid, retired)
	if err != nil {
		return err
	}
	if retired == "true" {
		s.flash(c, "editor_retired")
	} else {
		s.flash(c, "editor_unretired")
	}
	return seeOther(c, historyURL(kind, uid, s.svc.SharedUID(uid)))
}
