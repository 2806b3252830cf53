// Package markdown turns trusted-but-not-trusted markdown (lessons, quiz and
// scenario text written by trainers) into HTML. It is the only package that
// makes a template.HTML out of text, so there is one place to audit: goldmark
// runs with its safe defaults, raw HTML in the source is dropped, and
// dangerous link schemes are neutralised.
package markdown

import (
	"bytes"
	"html/template"
	"strings"
	"unicode"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	"golang.org/x/text/unicode/norm"
)

// CalloutKinds are the Microsoft Learn callouts the renderer recognises, as
// written after "[!" in the first line of a block quote.
var CalloutKinds = []string{"NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION"}

// Renderer converts markdown to HTML for one language: callout titles are
// words, so each language has its own renderer.
type Renderer struct {
	md goldmark.Markdown
}

// New returns a renderer whose callout titles come from labels, keyed by
// kind ("NOTE", "TIP", …); a missing label falls back to the kind itself.
func New(labels map[string]string) *Renderer {
	md := goldmark.New(
		goldmark.WithExtensions(extension.GFM),
		goldmark.WithParserOptions(
			parser.WithAutoHeadingID(),
			parser.WithAttribute(),
			parser.WithASTTransformers(util.Prioritized(&calloutTransformer{labels: labels}, 100)),
		),
	)
	return &Renderer{md: md}
}

// Render converts a markdown document.
func (r *Renderer) Render(src string) (template.HTML, error) {
	var buf bytes.Buffer
	// goldmark exports no constructor for its default IDs: a throwaway
	// context supplies them, for foldedIDs to wrap.
	ctx := parser.NewContext(parser.WithIDs(foldedIDs{parser.NewContext().IDs()}))
	if err := r.md.Convert([]byte(src), &buf, parser.WithContext(ctx)); err != nil {
		return "", err
	}
	return template.HTML(buf.String()), nil // #nosec: goldmark without WithUnsafe escapes raw HTML
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

// foldedIDs makes heading ids from headings with accents: goldmark keeps
// only ASCII letters, so "Qui fixe la gravité" would become
// "qui-fixe-la-gravit". Folding "é" to "e" first gives readable French anchors.
type foldedIDs struct{ parser.IDs }

// Generate folds accents away, then lets goldmark make the id.
func (f foldedIDs) Generate(value []byte, kind ast.NodeKind) []byte {
	return f.IDs.Generate([]byte(fold(string(value))), kind)
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
