package web_test

import (
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// frenchSpacing finds an ordinary (breakable) space where French typography
// wants a no-break one: before ; ! ? : » and after «. A browser may wrap
// at such a space and start a line with a lone "?" or ":".
var frenchSpacing = regexp.MustCompile(`[ \t\r\n]+[;!?:»]|«[ \t\r\n]`)

// rawElements hold text that is not prose (code, scripts, styles, a text
// area's content): the rule does not apply inside them.
var rawElements = regexp.MustCompile(`(?is)<(code|pre|kbd|samp|script|style|textarea)\b[^>]*>.*?</(code|pre|kbd|samp|script|style|textarea)>`)

// blockTags end a run of text: a space before a block tag is not a space a
// line can wrap at before the next block's first character.
var blockTags = regexp.MustCompile(`(?i)</?(html|head|body|title|meta|link|header|footer|main|nav|section|article|aside|div|p|h[1-6]|ul|ol|li|dl|dt|dd|table|thead|tbody|tr|th|td|caption|form|fieldset|legend|label|input|select|option|button|textarea|blockquote|figure|figcaption|br|hr|img|svg|details|summary|noscript)\b[^>]*>`)

var anyTag = regexp.MustCompile(`(?s)<!--.*?-->|<[^>]+>`)

// urlRun is a URL written in the text, which the rule leaves alone.
var urlRun = regexp.MustCompile(`(?i)\b(?:https?|ftp)://\S+|\bmailto:\S+`)

// pageText returns the prose of an HTML page as separate runs of text:
// tags, comments and raw elements removed, character references decoded,
// one run per block.
func pageText(page string) []string {
	page = rawElements.ReplaceAllString(page, "\x00")
	page = blockTags.ReplaceAllString(page, "\x00")
	page = anyTag.ReplaceAllString(page, "")
	var runs []string
	for _, run := range strings.Split(page, "\x00") {
		run = urlRun.ReplaceAllString(html.UnescapeString(run), "URL")
		if strings.TrimSpace(run) != "" {
			runs = append(runs, run)
		}
	}
	return runs
}

// TestFrenchPagesUseFrenchSpacing fetches every French page an anonymous
// visitor can reach (home, each module and unit, each French quiz, the
// sandbox list, the drill's first page and each French scenario, sign-in
// and sign-up) and checks French punctuation spacing in their text:
// interface strings, lesson bodies, titles, quizzes and scenarios all get
// it at load, so none may show an ordinary space before ; ! ? : » or after «.
func TestFrenchPagesUseFrenchSpacing(t *testing.T) {
	ts := newTestServer(t)
	c := ts.newClient()
	if res := c.get("/?lang=fr"); res.Status != http.StatusOK {
		t.Fatalf("home in French: %d", res.Status)
	}
	pages := []string{"/", "/sandbox", "/sandbox/drill", "/login", "/signup"}
	for _, m := range ts.Lessons.Modules("fr") {
		pages = append(pages, "/learn/"+m.Slug)
		for _, u := range m.Units {
			pages = append(pages, "/learn/"+m.Slug+"/"+u.Slug)
		}
	}
	quizzes, scenarios := 0, 0
	for _, q := range ts.Bank.Quizzes("fr") {
		pages = append(pages, "/quiz/"+q.UID)
		quizzes++
	}
	for _, s := range ts.Bank.Scenarios("fr") {
		pages = append(pages, "/sandbox/"+s.UID)
		scenarios++
	}
	if quizzes == 0 || scenarios == 0 || len(ts.Lessons.Modules("fr")) == 0 {
		t.Fatalf("no French content to check: %d modules, %d quizzes, %d scenarios", len(ts.Lessons.Modules("fr")), quizzes, scenarios)
	}
	for _, path := range pages {
		t.Run(path, func(t *testing.T) {
			res := c.get(path)
			if res.Status != http.StatusOK {
				t.Fatalf("GET %s: %d", path, res.Status)
			}
			if !strings.Contains(res.Body, `<html lang="fr"`) {
				t.Fatalf("GET %s is not in French", path)
			}
			bad := 0
			for _, run := range pageText(res.Body) {
				for _, loc := range frenchSpacing.FindAllStringIndex(run, -1) {
					if bad++; bad <= 5 {
						from, to := max(0, loc[0]-40), min(len(run), loc[1]+20)
						t.Errorf("ordinary space in %q", run[from:to])
					}
				}
			}
			if bad > 5 {
				t.Errorf("and %d more", bad-5)
			}
		})
	}
}

// TestPageText pins the extraction the rule is checked on, so that a
// passing typography test means the text was really looked at.
func TestPageText(t *testing.T) {
	tests := []struct {
		name, page string
		want       []string
	}{
		{"tags removed, inline text joined", "<p>Qui <strong>fixe</strong> ?</p>", []string{"Qui fixe ?"}},
		{"blocks split", "<li>Un</li>\n<li>Deux</li>", []string{"Un", "Deux"}},
		{"code ignored", "<p>Lancez <code>a : b</code> maintenant</p>", []string{"Lancez ", " maintenant"}},
		{"attributes ignored", `<a title="x ? y" href="/a?b">lien</a>`, []string{"lien"}},
		{"references decoded", "<p>«&nbsp;oui&#160;» &amp; R&amp;D</p>", []string{"«\u00a0oui\u00a0» & R&D"}},
		{"URLs set aside", "<p>voir https://aka.ms/x?y:z ici</p>", []string{"voir URL ici"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := pageText(tt.page)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("pageText(%q) = %q, want %q", tt.page, got, tt.want)
			}
		})
	}
	for _, tt := range []struct {
		name, text string
		bad        bool
	}{
		{"space before question mark", "Qui ?", true},
		{"narrow no-break space", "Qui\u202f?", false},
		{"space after opening guillemet", "« oui\u00a0»", true},
		{"space before closing guillemet", "«\u00a0oui »", true},
		{"colon in a time", "10:30", false},
		{"line break before colon", "Note\n: voir", true},
	} {
		t.Run("rule/"+tt.name, func(t *testing.T) {
			if got := frenchSpacing.MatchString(tt.text); got != tt.bad {
				t.Errorf("rule on %q = %v, want %v", tt.text, got, tt.bad)
			}
		})
	}
}
