package markdown_test

import (
	"strings"
	"testing"

	"supportlab/app/markdown"
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
