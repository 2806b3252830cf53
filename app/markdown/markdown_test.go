package markdown_test

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"supportlab/app/markdown"
	"supportlab/views"
)

var labels = map[string]string{
	"NOTE": "Remarque", "TIP": "Conseil", "IMPORTANT": "Important",
	"WARNING": "Avertissement", "CAUTION": "Attention",
}

func render(t *testing.T, src string) string {
	t.Helper()
	h, err := markdown.New(labels).Render(src)
	if err != nil {
		t.Fatal(err)
	}
	return string(h)
}

func TestRender(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		want    []string // substrings the HTML must hold
		wantNot []string // substrings it must not hold
	}{
		{"GFM table", "| Level | Meaning |\n|---|---|\n| **A** | Critical |\n",
			[]string{"<table>", "<th>Level</th>", "<td><strong>A</strong></td>"}, nil},
		{"heading with automatic id", "## Who decides the severity\n",
			[]string{`<h2 id="who-decides-the-severity">Who decides the severity</h2>`}, nil},
		{"French heading keeps its letters in the id", "## Qui fixe la gravité ? En un coup d'œil\n",
			[]string{`<h2 id="qui-fixe-la-gravite--en-un-coup-doeil">`}, nil},
		{"French question: no dash left by the space before ?", "## Qui fixe la gravité ?\n",
			[]string{`<h2 id="qui-fixe-la-gravite">`}, nil},
		{"nothing but punctuation", "## ? !\n",
			[]string{`<h2 id="heading">`}, nil},
		{"heading with explicit id", "## Severity levels at a glance {#severity}\n",
			[]string{`<h2 id="severity">Severity levels at a glance</h2>`}, []string{"{#"}},
		{"same heading twice gets two ids", "## Steps\n\n## Steps\n",
			[]string{`<h2 id="steps">`, `<h2 id="steps-1">`}, nil},
		{"event handler attribute dropped", "## Title {#t onclick=\"alert(1)\" onmouseover=\"alert(2)\"}\n",
			[]string{`<h2 id="t">Title</h2>`}, []string{"onclick", "onmouseover", "alert"}},
		{"raw HTML dropped", "Before <b>bold</b> after\n\n<div class=\"x\">block</div>\n",
			[]string{"Before", "after"}, []string{"<b>", "<div"}},
		{"script dropped", "<script>alert(1)</script>\n\nText <script>alert(2)</script>\n",
			[]string{"Text"}, []string{"<script", "</script"}},
		{"img with onerror dropped", "<img src=x onerror=alert(1)>\n\nx <img src=x onerror=alert(1)>\n",
			nil, []string{"<img", "onerror"}},
		{"javascript link neutralised", "[click](javascript:alert(1)) [CLICK](JaVaScRiPt:alert(1)) <javascript:alert(1)>\n",
			[]string{`<a href="">click</a>`, `<a href="">CLICK</a>`}, []string{`href="javascript`, `href="JaVaScRiPt`}},
		{"data and vbscript links neutralised", "[a](data:text/html;base64,PHNjcmlwdD4=) [b](vbscript:msgbox)\n",
			nil, []string{"data:text/html", "vbscript:"}},
		{"javascript image neutralised", "![x](javascript:alert(1))\n",
			[]string{`<img src="" alt="x">`}, []string{"javascript:"}},
		{"ordinary links kept", "[Learn](https://learn.microsoft.com/) and [unit](/learn/m/u)\n",
			[]string{`<a href="https://learn.microsoft.com/">Learn</a>`, `<a href="/learn/m/u">unit</a>`}, nil},
		{"ordinary blockquote stays a quote", "> Just a quote\n",
			[]string{"<blockquote>\n<p>Just a quote</p>"}, []string{"callout"}},
		{"marker not alone on its line is no callout", "> [!NOTE] inline\n",
			[]string{"<blockquote>"}, []string{"callout"}},
		{"HTML in a heading is dropped", "## Steps <img src=x onerror=alert(1)><script>alert(2)</script>\n",
			[]string{`<h2 id="steps-img-srcx-onerroralert1scriptalert2script">Steps <!-- raw HTML omitted -->`}, []string{"<img", "<script", "onerror="}},
		{"attribute value cannot break out of the tag", "## Title {id=\"\\\"><script>alert(1)</script>\" title=\"x\\\" onclick=\\\"alert(2)\"}\n",
			[]string{`<h2 id="title">Title</h2>`}, []string{"<script", "onclick", "title=", "alert"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := render(t, tt.src)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("HTML lacks %q:\n%s", w, got)
				}
			}
			for _, w := range tt.wantNot {
				if strings.Contains(got, w) {
					t.Errorf("HTML holds %q:\n%s", w, got)
				}
			}
		})
	}
}

func TestCallouts(t *testing.T) {
	tests := []struct {
		kind, src, title string
	}{
		{"note", "> [!NOTE]\n> Keep your **tenant ID** at hand.\n", "Remarque"},
		{"tip", "> [!TIP]\n> Keep your **tenant ID** at hand.\n", "Conseil"},
		{"important", "> [!IMPORTANT]\n> Keep your **tenant ID** at hand.\n", "Important"},
		{"warning", "> [!WARNING]\n> Keep your **tenant ID** at hand.\n", "Avertissement"},
		{"caution", "> [!CAUTION]\n> Keep your **tenant ID** at hand.\n", "Attention"},
		{"note", "> [!note]\n> Keep your **tenant ID** at hand.\n", "Remarque"},
		{"note", "> [!NOTE]\n>\n> Keep your **tenant ID** at hand.\n>\n> - a list\n", "Remarque"},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			got := render(t, tt.src)
			box := `<blockquote class="callout callout-` + tt.kind + `"><p class="callout-title">` + tt.title + `</p>`
			if !strings.HasPrefix(got, box) {
				t.Errorf("want a %s box titled %q, got:\n%s", tt.kind, tt.title, got)
			}
			if !strings.Contains(got, "Keep your <strong>tenant ID</strong> at hand.") {
				t.Errorf("the callout's text is lost:\n%s", got)
			}
			if strings.Contains(got, "[!") || strings.Contains(strings.ToUpper(got), "!"+strings.ToUpper(tt.kind)+"]") {
				t.Errorf("the marker is left in the HTML:\n%s", got)
			}
		})
	}

	// Without a label, the title falls back to the kind in words.
	h, err := markdown.New(nil).Render("> [!WARNING]\n> Careful.\n")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(h), `<p class="callout-title">Warning</p>`) {
		t.Errorf("fallback title: %s", h)
	}
}

func TestRenderInline(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"one paragraph loses its p", "Who **files** the request?", "Who <strong>files</strong> the request?"},
		{"two paragraphs keep theirs", "First.\n\nSecond.", "<p>First.</p>\n<p>Second.</p>"},
		{"a list stays a list", "- a\n- b", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>"},
		{"raw HTML dropped inline too", "A <script>alert(1)</script> B", "A <!-- raw HTML omitted -->alert(1)<!-- raw HTML omitted --> B"},
		{"code kept as text", "Run `Set-Mailbox -Identity x`", "Run <code>Set-Mailbox -Identity x</code>"},
		{"empty", "", ""},
	}
	r := markdown.New(labels)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := r.RenderInline(tt.src)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("RenderInline(%q) = %q, want %q", tt.src, got, tt.want)
			}
		})
	}
}

// TestRenderersShareNothing checks that one renderer's ids do not leak into
// the next document: every lesson starts its ids afresh.
func TestRenderersShareNothing(t *testing.T) {
	r := markdown.New(labels)
	for i := 0; i < 2; i++ {
		h, err := r.Render("## Steps\n")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(h), `id="steps"`) {
			t.Fatalf("render %d: %s", i+1, h)
		}
	}
}

// TestHeadingAttributes pins the whole heading tag: goldmark's attribute
// syntax may set an id and nothing else, and ids never take one of the
// page's own ids.
func TestHeadingAttributes(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"class dropped", "## Title {#t .wide}\n", `<h2 id="t">Title</h2>`},
		{"style and tabindex dropped", "## Title {#t style=\"position:fixed;top:0\" tabindex=1}\n", `<h2 id="t">Title</h2>`},
		{"class alone: id still automatic", "## Title {.wide}\n", `<h2 id="title">Title</h2>`},
		{"data, aria and role dropped", "## Title {data-x=y aria-hidden=true role=button hidden=true}\n", `<h2 id="title">Title</h2>`},
		{"event handler dropped", "## Title {onfocus=\"alert(1)\" autofocus=true}\n", `<h2 id="title">Title</h2>`},
		{"setext heading keeps only its id", "Title {#t .wide style=\"color:red\"}\n---\n", `<h2 id="t">Title</h2>`},
		{"numeric id does not crash the parser", "## Title {id=1}\n", `<h2 id="title">Title</h2>`},
		{"boolean id does not crash the parser", "## Title {id=true}\n", `<h2 id="title">Title</h2>`},
		{"list id does not crash the parser", "## Title {id=[1, 2]}\n", `<h2 id="title">Title</h2>`},
		{"numeric id on a setext heading", "Title {id=2}\n===\n", `<h1 id="title">Title</h1>`},
		{"id with a space is replaced", "## Title {id=\"a b\"}\n", `<h2 id="title">Title</h2>`},
		{"id with markup characters is replaced", "## Title {id=\"x<b>\"}\n", `<h2 id="title">Title</h2>`},
		{"explicit id with accents kept", "## Gravité {#gravité}\n", `<h2 id="gravité">Gravité</h2>`},
		{"documented anchor severity kept", "## Severity levels at a glance {#severity}\n", `<h2 id="severity">Severity levels at a glance</h2>`},
		{"documented anchor admin-role kept", "## The admin's role {#admin-role}\n", `<h2 id="admin-role">The admin's role</h2>`},
		{"documented anchor microsoft-role kept", "## Microsoft support's role {#microsoft-role}\n", `<h2 id="microsoft-role">Microsoft support's role</h2>`},
		{"generated id equal to the skip link target", "## Main\n", `<h2 id="heading-main">Main</h2>`},
		{"explicit id equal to the skip link target", "## Where to start {#main}\n", `<h2 id="heading-main">Where to start</h2>`},
		{"explicit id of a request form field", "## Title {#sr-title}\n", `<h2 id="heading-sr-title">Title</h2>`},
		{"generated id of a sign-up field", "## Signup email\n", `<h2 id="heading-signup-email">Signup email</h2>`},
		{"generated id shaped like a quiz choice", "## Q first 0\n", `<h2 id="heading-q-first-0">Q first 0</h2>`},
		{"role heading is not a role selector", "## Role-based access control\n", `<h2 id="role-based-access-control">Role-based access control</h2>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := strings.TrimSpace(render(t, tt.src)); got != tt.want {
				t.Errorf("Render(%q) =\n%s\nwant\n%s", tt.src, got, tt.want)
			}
		})
	}
}

// TestHeadingIDsUnique checks ids across the headings of one document:
// duplicates are numbered, whether the ids were written or generated.
func TestHeadingIDsUnique(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string // the ids, in document order
	}{
		{"generated twice", "## Steps\n\n## Steps\n\n## Steps\n", []string{"steps", "steps-1", "steps-2"}},
		{"explicit twice", "## A {#x}\n\n## B {#x}\n", []string{"x", "x-1"}},
		{"explicit then generated", "## A {#steps}\n\n## Steps\n", []string{"steps", "steps-1"}},
		{"generated then explicit", "## Steps\n\n## B {#steps}\n", []string{"steps", "steps-1"}},
		{"reserved twice", "## Main\n\n## Main\n", []string{"heading-main", "heading-main-1"}},
		{"renamed id already taken", "## Heading main\n\n## Main\n", []string{"heading-main", "heading-main-1"}},
		{"empty headings", "## {.x}\n\n## !!\n", []string{"heading", "heading-1"}},
	}
	idAttr := regexp.MustCompile(`<h[1-6] id="([^"]*)">`)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			html := render(t, tt.src)
			var got []string
			for _, m := range idAttr.FindAllStringSubmatch(html, -1) {
				got = append(got, m[1])
			}
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("ids %q, want %q:\n%s", got, tt.want, html)
			}
		})
	}
}

// TestReservedIDsCoverTheViews keeps ReservedIDs in step with the
// templates: every id a template writes out literally, and every id family
// it builds from data, must be reserved, so that adding an element id to a
// page without reserving it fails here rather than on a learner's page.
func TestReservedIDsCoverTheViews(t *testing.T) {
	literal := regexp.MustCompile(`\bid="([^"]*)"`)
	dictID := regexp.MustCompile(`"ID" "([^"]+)"`) // ids handed to a partial through dict
	action := regexp.MustCompile(`\{\{[^}]*\}\}`)
	seen := 0
	err := fs.WalkDir(views.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".html") {
			return err
		}
		b, err := fs.ReadFile(views.FS, path)
		if err != nil {
			return err
		}
		for _, m := range literal.FindAllStringSubmatch(string(b), -1) {
			id := m[1]
			if strings.HasPrefix(id, "{{") {
				// Wholly from data: partials whose callers pass the id
				// (checked through dictID below) and the chart, whose ids
				// come from Go code and are listed by hand.
				continue
			}
			// A family built from data: a sample member must be reserved.
			sample := action.ReplaceAllString(id, "7")
			seen++
			if !markdown.Reserved(sample) {
				t.Errorf("%s: id %q is not in markdown.ReservedIDs (nor matched by ReservedIDPatterns): a heading could take it", path, id)
			}
		}
		for _, m := range dictID.FindAllStringSubmatch(string(b), -1) {
			seen++
			if !markdown.Reserved(m[1]) {
				t.Errorf("%s: id %q is not reserved", path, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen < 20 {
		t.Fatalf("found only %d ids in the views: is the pattern still right?", seen)
	}
	// The chart's ids come from Go code (newLineChart("trend", …)).
	for _, id := range []string{"trend-caption", "trend-svg-title", "trend-svg-desc", "trend-table-caption"} {
		if !markdown.Reserved(id) {
			t.Errorf("chart id %q is not reserved", id)
		}
	}
	// The anchors the app and README link to must stay usable.
	for _, id := range []string{"severity", "admin-role", "microsoft-role"} {
		if markdown.Reserved(id) {
			t.Errorf("documented lesson anchor %q is reserved: links to #%s would break", id, id)
		}
	}
}

// TestFrenchTypography checks the French renderer's punctuation spacing:
// text nodes get their no-break spaces, while code, links, heading ids and
// callout markers stay as written, and other languages are left alone.
func TestFrenchTypography(t *testing.T) {
	const nnbsp, nbsp = "\u202F", "\u00A0"
	tests := []struct {
		name, lang, src, want string
	}{
		{"question in a heading keeps its id", "fr", "## Qui fixe la gravité ? {#severity}",
			`<h2 id="severity">Qui fixe la gravité` + nnbsp + `?</h2>`},
		{"colon in bold", "fr", "**Fait décisif :** le site",
			"<p><strong>Fait décisif" + nbsp + ":</strong> le site</p>"},
		{"guillemets", "fr", "le bouton « Envoyer »",
			"<p>le bouton «" + nbsp + "Envoyer" + nbsp + "»</p>"},
		{"inline code untouched", "fr", "Lancez `Set-Mailbox -X:y ; z ?` : fini",
			"<p>Lancez <code>Set-Mailbox -X:y ; z ?</code>" + nbsp + ": fini</p>"},
		{"link target untouched", "fr", "[Lien ?](https://aka.ms/a?b=c) ?",
			`<p><a href="https://aka.ms/a?b=c">Lien` + nnbsp + `?</a>` + nnbsp + "?</p>"},
		{"autolink untouched", "fr", "Voir https://aka.ms/x?y=z ?",
			`<p>Voir <a href="https://aka.ms/x?y=z">https://aka.ms/x?y=z</a>` + nnbsp + "?</p>"},
		{"callout title and text", "fr", "> [!NOTE]\n> Attention : oui",
			`<blockquote class="callout callout-note"><p class="callout-title">Remarque</p>` + "\n<p>Attention" + nbsp + ": oui</p>\n</blockquote>"},
		{"English is left as written", "en", "Who decides? Note: Microsoft.",
			"<p>Who decides? Note: Microsoft.</p>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := markdown.New(labels, markdown.ForLanguage(tt.lang)).Render(tt.src)
			if err != nil {
				t.Fatal(err)
			}
			if strings.TrimSpace(string(got)) != tt.want {
				t.Errorf("Render(%q) in %s\n got %q\nwant %q", tt.src, tt.lang, got, tt.want)
			}
		})
	}
}
