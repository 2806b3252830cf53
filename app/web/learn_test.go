package web_test

import (
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"supportlab/app/lessons"
)

const moduleSlug = "get-help-from-microsoft"

// mustContain fails the test for each of subs that body lacks.
func mustContain(t *testing.T, what, body string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(body, s) {
			t.Errorf("%s lacks %q", what, s)
		}
	}
}

// mustNotContain fails the test for each of subs that body holds.
func mustNotContain(t *testing.T, what, body string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if strings.Contains(body, s) {
			t.Errorf("%s holds %q", what, s)
		}
	}
}

func (ts *testServer) module(lang string) *lessons.Module {
	ts.t.Helper()
	m, err := ts.Lessons.Module(lang, moduleSlug)
	if err != nil {
		ts.t.Fatal(err)
	}
	return m
}

// mainOf is the page's <main> element: what differs from page to page.
func mainOf(body string) string {
	i, j := strings.Index(body, "<main"), strings.Index(body, "</main>")
	if i < 0 || j < i {
		return body
	}
	return body[i:j]
}

func TestHomeListsModules(t *testing.T) {
	ts := newTestServer(t)
	tests := []struct {
		lang, units, minutes string
	}{
		{"en", "%d units", "%d minutes"},
		{"fr", "%d unités", "%d minutes"},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			res := ts.newClient().get("/?lang=" + tt.lang)
			if res.Status != http.StatusOK {
				t.Fatalf("GET / = %d", res.Status)
			}
			m := ts.module(tt.lang)
			mustContain(t, "home page", res.Body,
				`<a href="/learn/`+moduleSlug+`">`+html.EscapeString(m.Title)+`</a>`,
				html.EscapeString(m.Summary),
				fmt.Sprintf(tt.units, len(m.Units)),
				fmt.Sprintf(tt.minutes, m.Minutes()),
			)
		})
	}
}

func TestModulePageListsUnitsInOrder(t *testing.T) {
	ts := newTestServer(t)
	for _, lang := range []string{"en", "fr"} {
		t.Run(lang, func(t *testing.T) {
			res := ts.newClient().get("/learn/" + moduleSlug + "?lang=" + lang)
			if res.Status != http.StatusOK {
				t.Fatalf("status %d", res.Status)
			}
			m := ts.module(lang)
			body := mainOf(res.Body)
			mustContain(t, "module page", body, "<h1>"+html.EscapeString(m.Title)+"</h1>")
			last := -1
			for _, u := range m.Units {
				link := `<a href="/learn/` + moduleSlug + `/` + u.Slug + `">` + html.EscapeString(u.Title) + `</a>`
				at := strings.Index(body, link)
				if at < 0 {
					t.Errorf("no link to unit %s", u.Slug)
					continue
				}
				if at < last {
					t.Errorf("unit %s is listed before the unit that precedes it", u.Slug)
				}
				last = at
			}
		})
	}
}

var pagerLink = regexp.MustCompile(`<a class="pager-(prev|next)" href="([^"]+)" rel="(prev|next)">`)

func TestUnitPagesLinkPreviousAndNext(t *testing.T) {
	ts := newTestServer(t)
	c := ts.newClient()
	m := ts.module("en")
	for i, u := range m.Units {
		t.Run(u.Slug, func(t *testing.T) {
			res := c.get("/learn/" + moduleSlug + "/" + u.Slug)
			if res.Status != http.StatusOK {
				t.Fatalf("status %d", res.Status)
			}
			mustContain(t, "unit page", res.Body, "<h1>"+html.EscapeString(u.Title)+"</h1>", string(u.HTML))
			links := map[string]string{}
			for _, l := range pagerLink.FindAllStringSubmatch(res.Body, -1) {
				links[l[1]] = l[2]
			}
			want := map[string]string{}
			if i > 0 {
				want["prev"] = "/learn/" + moduleSlug + "/" + m.Units[i-1].Slug
			}
			if i+1 < len(m.Units) {
				want["next"] = "/learn/" + moduleSlug + "/" + m.Units[i+1].Slug
			}
			if fmt.Sprint(links) != fmt.Sprint(want) {
				t.Errorf("pager links %v, want %v", links, want)
			}
		})
	}
}

var (
	inputTag = regexp.MustCompile(`<input [^>]*>`)
	attr     = regexp.MustCompile(`(\w+)="([^"]*)"`)
)

// checkQuizMarkup checks what a screen-reader user needs on a quiz form:
// a fieldset and legend per question and a label for every input.
func checkQuizMarkup(t *testing.T, body string, questions int) {
	t.Helper()
	if n := strings.Count(body, `<fieldset class="question">`); n != questions {
		t.Errorf("%d question fieldsets, want %d", n, questions)
	}
	if n := strings.Count(body, "<legend>"); n != questions {
		t.Errorf("%d legends, want %d", n, questions)
	}
	inputs := 0
	for _, tag := range inputTag.FindAllString(body, -1) {
		a := map[string]string{}
		for _, m := range attr.FindAllStringSubmatch(tag, -1) {
			a[m[1]] = m[2]
		}
		if a["type"] == "hidden" {
			continue
		}
		inputs++
		if a["id"] == "" || !strings.Contains(body, `<label for="`+a["id"]+`">`) {
			t.Errorf("input without a label: %s", tag)
		}
	}
	if inputs < 2*questions {
		t.Errorf("%d answer inputs for %d questions", inputs, questions)
	}
}

func TestKnowledgeCheckUnitShowsTheQuiz(t *testing.T) {
	ts := newTestServer(t)
	for _, lang := range []string{"en", "fr"} {
		t.Run(lang, func(t *testing.T) {
			m := ts.module(lang)
			last := m.Units[len(m.Units)-1]
			if last.Quiz == "" {
				t.Fatal("the last unit names no quiz")
			}
			q, err := ts.Bank.Quiz(last.Quiz)
			if err != nil {
				t.Fatal(err)
			}
			res := ts.newClient().get("/learn/" + moduleSlug + "/" + last.Slug + "?lang=" + lang)
			if res.Status != http.StatusOK {
				t.Fatalf("status %d", res.Status)
			}
			body := mainOf(res.Body)
			mustContain(t, "knowledge-check unit", body,
				`<form method="post" action="/quiz/`+q.UID+`"`, `name="_csrf" value="`, html.EscapeString(q.Title))
			// The quiz comes after the lesson text.
			if strings.Index(body, `<form method="post" action="/quiz/`) < strings.Index(body, string(last.HTML)) {
				t.Error("the quiz is not at the end of the unit")
			}
			checkQuizMarkup(t, body, q.AskCount())
		})
	}
	// Other units have no quiz form.
	res := ts.newClient().get("/learn/" + moduleSlug + "/" + ts.module("en").Units[0].Slug)
	mustNotContain(t, "first unit", mainOf(res.Body), `action="/quiz/`)
}

// setCookie returns the Set-Cookie header of the named cookie, or "".
func setCookie(res response, name string) string {
	for _, c := range res.Header.Values("Set-Cookie") {
		if strings.HasPrefix(c, name+"=") {
			return c
		}
	}
	return ""
}

func TestLanguage(t *testing.T) {
	ts := newTestServer(t)
	en, fr := ts.module("en"), ts.module("fr")
	unit := "/learn/" + moduleSlug + "/" + en.Units[1].Slug
	enTitle, frTitle := html.EscapeString(en.Units[1].Title), html.EscapeString(fr.Units[1].Title)
	isFrench := func(t *testing.T, res response) {
		t.Helper()
		if res.Status != http.StatusOK {
			t.Fatalf("status %d", res.Status)
		}
		mustContain(t, "French page", res.Body, `<html lang="fr">`, "<h1>"+frTitle+"</h1>", ">Apprendre</a>", `hreflang="en"`)
		mustNotContain(t, "French page", res.Body, "<h1>"+enTitle+"</h1>", ">Learn</a>")
	}
	isEnglish := func(t *testing.T, res response) {
		t.Helper()
		if res.Status != http.StatusOK {
			t.Fatalf("status %d", res.Status)
		}
		mustContain(t, "English page", res.Body, `<html lang="en">`, "<h1>"+enTitle+"</h1>", ">Learn</a>", `hreflang="fr"`)
		mustNotContain(t, "English page", res.Body, "<h1>"+frTitle+"</h1>", ">Apprendre</a>")
	}

	t.Run("default is English", func(t *testing.T) {
		isEnglish(t, ts.newClient().get(unit))
	})
	t.Run("unsupported Accept-Language is English", func(t *testing.T) {
		isEnglish(t, ts.newClient().get(unit, "Accept-Language", "de-DE,de;q=0.9"))
	})
	t.Run("Accept-Language fr on a first visit", func(t *testing.T) {
		isFrench(t, ts.newClient().get(unit, "Accept-Language", "fr-FR,fr;q=0.9,en;q=0.5"))
	})
	t.Run("the page links to itself in the other language", func(t *testing.T) {
		mustContain(t, "English page", ts.newClient().get(unit).Body, `href="`+unit+`?lang=fr"`)
	})
	t.Run("?lang=fr switches and is remembered", func(t *testing.T) {
		c := ts.newClient()
		res := c.get(unit + "?lang=fr")
		isFrench(t, res)
		cookie := setCookie(res, "lang")
		mustContain(t, "Set-Cookie", strings.ToLower(cookie), "lang=fr", "path=/", "httponly", "max-age=")
		// Later requests without ?lang, even with an English browser, stay French.
		isFrench(t, c.get(unit, "Accept-Language", "en"))
		home := c.get("/")
		mustContain(t, "home page", home.Body, `<html lang="fr">`, html.EscapeString(fr.Title))
		// And back.
		isEnglish(t, c.get(unit+"?lang=en"))
		isEnglish(t, c.get(unit, "Accept-Language", "fr"))
	})
	t.Run("unknown ?lang is ignored", func(t *testing.T) {
		c := ts.newClient()
		res := c.get(unit + "?lang=de")
		isEnglish(t, res)
		if c := setCookie(res, "lang"); c != "" {
			t.Errorf("?lang=de set a cookie: %s", c)
		}
	})
	t.Run("a forged cookie is ignored", func(t *testing.T) {
		isEnglish(t, ts.newClient().get(unit, "Cookie", "lang=<script>"))
	})
}

// A signed-in learner who has started a module finds it again on the home
// page, at the first unit not yet read; lessons point to the sandbox.
func TestHomeResumesWhereTheLearnerLeftOff(t *testing.T) {
	ts := newTestServer(t)
	c := ts.newClient()
	c.signup("ada@example.com", "Ada", testPassword)
	if body := c.get("/?lang=en").Body; strings.Contains(body, "Continue where you left off") {
		t.Fatal("nothing started yet, but the home page offers to continue")
	}
	c.get("/learn/get-help-from-microsoft/what-support-covers")
	body := c.get("/").Body
	mustContain(t, "home", body, "Continue where you left off", `href="/learn/get-help-from-microsoft/severity-levels"`)
	mustContain(t, "unit", c.get("/learn/get-help-from-microsoft/severity-levels").Body, `<a href="/sandbox">`)
}
