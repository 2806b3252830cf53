// Package markdown turns trusted-but-not-trusted markdown (lessons, quiz and
// scenario text written by trainers) into HTML. It is the only package that
// makes a template.HTML out of text, so there is one place to audit: goldmark
// runs with its safe defaults, raw HTML in the source is dropped, dangerous
// link schemes are neutralised, and a heading keeps no attribute but an id
// that cannot clash with the page around it.
package markdown

import (
	"bytes"
	"html/template"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	"golang.org/x/text/unicode/norm"

	"supportlab/app/typography"
)

// CalloutKinds are the Microsoft Learn callouts the renderer recognises, as
// written after "[!" in the first line of a block quote.
var CalloutKinds = []string{"NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION"}

// Renderer converts markdown to HTML for one language: callout titles are
// words, and French sets its punctuation spacing differently, so each
// language has its own renderer.
type Renderer struct {
	md     goldmark.Markdown
	french bool // French punctuation spacing on the rendered text
}

// Option adjusts a Renderer made by New.
type Option func(*Renderer)

// ForLanguage makes the renderer follow the typography of lang: for "fr",
// every text node of the output gets French punctuation spacing (see
// package typography), so that trainers type ordinary spaces and readers
// never see a line start with a lone "?" or ":". Other languages render as
// written. Rendering happens when content is loaded or imported, so this
// costs nothing per request.
func ForLanguage(lang string) Option {
	return func(r *Renderer) { r.french = lang == "fr" }
}

// ReservedIDs are the element ids the page chrome itself uses (layouts,
// partials and page templates under views/). Rendered markdown sits inside
// those pages, so a heading id equal to one of them would make two elements
// share an id: the skip link or a form label would then point at the
// trainer's heading instead of the page's own element. A heading whose id is
// reserved is renamed (see ReservedIDPatterns for how). The app's documented
// lesson anchors (severity, admin-role, microsoft-role) must never be listed
// here. A test checks the list against the templates: add an id to both.
var ReservedIDs = []string{
	// layouts/main.html: the skip link's target.
	"main",
	// Page headings and sections.
	"code-heading", "confusion-caption", "confusion-heading", "create-heading",
	"error-title", "items-heading", "join-heading", "matrix", "matrix-heading",
	"me-badges", "me-best", "me-history", "me-progress", "my-teams",
	"quiz-title", "quizzes-title", "result-compare", "result-parts",
	"scenarios-title", "situation-title", "trend-heading", "why-admin", "why-microsoft",
	// The team trend chart (partials/chart-line.html with the chart id "trend").
	"trend-caption", "trend-svg-title", "trend-svg-desc", "trend-table-caption",
	// The simulated admin center (sandbox and drill).
	"admin-center", "ac-title",
	// Form fields, their hints and their errors.
	"form-errors", "import-errors",
	"import-file", "resume-title", "practise-title", "matrix-legend-heading", "matrix-caption", "exports-heading", "import-file-hint", "import-lang", "import-title", "import-title-field",
	"import-title-hint", "import-uid", "import-uid-hint",
	"join-code", "join-code-error", "join-code-hint",
	"login-email", "login-email-error", "login-password", "login-password-error",
	"signup-email", "signup-email-error", "signup-name", "signup-name-error",
	"signup-password", "signup-password-error", "signup-password-hint",
	"team-name", "team-name-error",
	// The editor (author_edit.html, partials/editor-preview.html), the
	// versions page, assignments and a member's record.
	"preview", "preview-heading", "preview-problems", "preview-status",
	"restore-errors", "retire-hint", "versions-heading",
	"assignments", "assignments-heading", "my-assignments",
	"member-assignments", "member-progress", "member-history",
	// The result's question grid, the drill summary, the module's units,
	// the scenario filters and the accounts search.
	"qnav-title", "strip-title", "drill-table-title", "units-title",
	"filter-product", "filter-severity", "filter-severity-hint", "user-search",
}

// ReservedIDPatterns are the families of ids the templates build from data
// (a choice of a question, a field of the request form, a user's role
// selector, a team's item table): no fixed list can hold them, so any
// heading id that matches one of these is treated as reserved too.
var ReservedIDPatterns = []*regexp.Regexp{
	regexp.MustCompile(`^q-.+-[0-9]+$`),          // partials/quiz-form.html: q-<question id>-<choice index>
	regexp.MustCompile(`^sr-`),                   // the simulated service-request form: sr-title, sr-severity-A, …
	regexp.MustCompile(`^role-[0-9]+$`),          // admin_users.html: role-<user id>
	regexp.MustCompile(`^items-`),                // team.html: items-<uid>
	regexp.MustCompile(`^editor-`),               // author_edit.html: editor-text, editor-uid-hint, …
	regexp.MustCompile(`^assign-[a-z0-9]+-`),     // partials/assign-forms.html: assign-<kind>-uid, …
	regexp.MustCompile(`^version-[a-z0-9.-]+$`),  // team.html: version-<quiz uid>, the version picker
	regexp.MustCompile(`^quizzes-group-[0-9]+$`), // quizzes.html: one section per module
	regexp.MustCompile(`^q-[0-9]+$`),             // result.html: q-<question number>, the grid's targets
	regexp.MustCompile(`^explain-[0-9]+$`),       // drill_summary.html: explain-<step>, a step's explanation
	regexp.MustCompile(`^scatter-`),              // team.html: scatter-<quiz uid>-caption, -desc
}

// Reserved reports whether a heading may not use id, because the page
// around rendered markdown already uses it or may use it (ReservedIDs and
// ReservedIDPatterns).
func Reserved(id string) bool {
	if slices.Contains(ReservedIDs, id) {
		return true
	}
	for _, re := range ReservedIDPatterns {
		if re.MatchString(id) {
			return true
		}
	}
	return false
}

// reservedPrefix is put before a heading id that is reserved: a prefix, not
// a suffix, because a suffix would stay inside a reserved family ("sr-x"
// becomes "sr-x-1", still "sr-…").
const reservedPrefix = "heading-"

// New returns a renderer whose callout titles come from labels, keyed by
// kind ("NOTE", "TIP", …); a missing label falls back to the kind itself.
//
// Heading ids are made by headingTransformer rather than by goldmark's
// automatic ids: goldmark's own code asserts that an {id=…} value is text,
// and "## T {id=1}" would panic inside the parser, which an uploaded quiz
// must not be able to do.
func New(labels map[string]string, opts ...Option) *Renderer {
	md := goldmark.New(
		goldmark.WithExtensions(extension.GFM),
		goldmark.WithParserOptions(
			parser.WithAttribute(),
			parser.WithASTTransformers(
				util.Prioritized(&calloutTransformer{labels: labels}, 100),
				util.Prioritized(headingTransformer{}, 90),
			),
		),
	)
	r := &Renderer{md: md}
	for _, o := range opts {
		o(r)
	}
	return r
}

// Render converts a markdown document.
func (r *Renderer) Render(src string) (template.HTML, error) {
	var buf bytes.Buffer
	if err := r.md.Convert([]byte(src), &buf); err != nil {
		return "", err
	}
	out := buf.String()
	if r.french {
		// Only text nodes change, and only by spaces: the output stays as
		// safe as goldmark made it.
		out = typography.FrenchHTML(out)
	}
	return template.HTML(out), nil // #nosec: goldmark without WithUnsafe escapes raw HTML
}

// RenderInline converts a short text (a question, a choice) and strips the
// paragraph around it when the result is a single paragraph, so that it can
// sit inside a label or a legend.
func (r *Renderer) RenderInline(src string) (template.HTML, error) {
	h, err := r.Render(src)
	if err != nil {
		return "", err
	}
	s := strings.TrimSpace(string(h))
	if strings.HasPrefix(s, "<p>") && strings.HasSuffix(s, "</p>") && strings.Count(s, "<p>") == 1 {
		s = strings.TrimSuffix(strings.TrimPrefix(s, "<p>"), "</p>")
	}
	return template.HTML(s), nil
}

// headingTransformer gives every heading exactly one attribute, its id.
// goldmark's attribute syntax ("## Title {#id .class style=…}") would let a
// trainer's file set classes, styles, tabindex or data attributes on the
// page; only the id is useful (it is the anchor lessons link to), so the
// rest is dropped. Ids are unique within the document and never one of the
// page's own ids (see Reserved).
type headingTransformer struct{}

// Transform implements parser.ASTTransformer. Headings are visited in
// document order, so ids are numbered the way goldmark numbers them: the
// first "Steps" is "steps", the second "steps-1".
func (headingTransformer) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	src := reader.Source()
	used := map[string]bool{}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		h, ok := n.(*ast.Heading)
		if !ok || !entering {
			return ast.WalkContinue, nil
		}
		id := explicitID(h)
		if id == "" {
			id = slug(headingText(h, src))
		}
		h.RemoveAttributes()
		h.SetAttributeString("id", []byte(claimID(id, used)))
		return ast.WalkSkipChildren, nil
	})
}

// explicitID is the id the source sets with {#id} or {id="…"}, or "" when
// it sets none or one that is not a plain token (not text, empty, or with
// characters other than letters, digits, "-", "_", ":" and "."); the heading
// then gets an automatic id instead, as if it had set none.
func explicitID(h *ast.Heading) string {
	v, ok := h.AttributeString("id")
	if !ok {
		return ""
	}
	b, ok := v.([]byte)
	if !ok || len(b) == 0 || !utf8.Valid(b) {
		return ""
	}
	for _, r := range string(b) {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("-_:.", r) {
			return ""
		}
	}
	return string(b)
}

// headingText is the heading's source text (its last line, attributes
// already cut off by the parser), which goldmark also makes its ids from.
func headingText(h *ast.Heading, src []byte) string {
	lines := h.Lines()
	if lines.Len() == 0 {
		return ""
	}
	last := lines.At(lines.Len() - 1)
	return string(last.Value(src))
}

// slug makes an automatic id the way goldmark does (ASCII letters and digits
// lower-cased, spaces, "-" and "_" as "-", everything else dropped,
// "heading" when nothing is left), after folding accents away: goldmark
// alone would make "Qui fixe la gravité" into "qui-fixe-la-gravit". Dashes
// left at the end are cut: a French question ends in " ?", and its anchor
// should not depend on that space ("qui-fixe-la-gravite", not "…-gravite-").
func slug(s string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(fold(s)) {
		switch {
		case r >= 'A' && r <= 'Z':
			b.WriteRune(r + 'a' - 'A')
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ', r == '\t', r == '\n', r == '\r', r == '\v', r == '\f', r == '-', r == '_':
			b.WriteByte('-')
		}
	}
	out := strings.TrimRight(b.String(), "-")
	if out == "" {
		return "heading"
	}
	return out
}

// claimID returns id, or a variant of it, that is neither reserved nor in
// used, and records it in used. A reserved id gets reservedPrefix; an id
// already taken gets "-1", "-2", … like goldmark's duplicates.
func claimID(id string, used map[string]bool) string {
	if Reserved(id) {
		id = reservedPrefix + id
	}
	out := id
	for i := 1; used[out] || Reserved(out); i++ {
		out = id + "-" + strconv.Itoa(i)
	}
	used[out] = true
	return out
}

var ligatures = strings.NewReplacer("œ", "oe", "Œ", "Oe", "æ", "ae", "Æ", "Ae", "ß", "ss")

// fold removes accents: the letter is kept, its combining marks dropped.
func fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(ligatures.Replace(s)) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// calloutTransformer turns a block quote that starts with "[!NOTE]" (or
// another kind) into a styled box with a title, the way Learn renders them.
type calloutTransformer struct {
	labels map[string]string
}

// Transform implements parser.ASTTransformer. Block quotes are collected
// first and changed after the walk, so that the walk never runs over nodes
// it is rewriting.
func (t *calloutTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	var quotes []*ast.Blockquote
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if bq, ok := n.(*ast.Blockquote); ok && entering {
			quotes = append(quotes, bq)
		}
		return ast.WalkContinue, nil
	})
	for _, bq := range quotes {
		t.transform(bq, src)
	}
}

func (t *calloutTransformer) transform(bq *ast.Blockquote, src []byte) {
	para, ok := bq.FirstChild().(*ast.Paragraph)
	if !ok || para.Lines().Len() == 0 {
		return
	}
	first := para.Lines().At(0)
	line := strings.TrimSpace(string(first.Value(src)))
	kind := ""
	for _, k := range CalloutKinds {
		if strings.EqualFold(line, "[!"+k+"]") {
			kind = k
		}
	}
	if kind == "" {
		return
	}
	// Drop the inline nodes that came from the marker line.
	for c := para.FirstChild(); c != nil; {
		next := c.NextSibling()
		txt, isText := c.(*ast.Text)
		if isText && txt.Segment.Stop > first.Stop {
			break
		}
		if !isText && c.Kind() != ast.KindLink && c.Kind() != ast.KindImage {
			break
		}
		para.RemoveChild(para, c)
		c = next
		if isText && txt.SoftLineBreak() {
			break
		}
	}
	if para.ChildCount() == 0 {
		bq.RemoveChild(bq, para)
	}
	label := t.labels[kind]
	if label == "" {
		label = kind[:1] + strings.ToLower(kind[1:])
	}
	title := ast.NewParagraph()
	title.SetAttributeString("class", []byte("callout-title"))
	title.AppendChild(title, ast.NewString([]byte(label)))
	if bq.FirstChild() == nil {
		bq.AppendChild(bq, title)
	} else {
		bq.InsertBefore(bq, bq.FirstChild(), title)
	}
	bq.SetAttributeString("class", []byte("callout callout-"+strings.ToLower(kind)))
}
