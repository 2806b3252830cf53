package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"supportlab/app/supportlab"
)

// Scenarios of the embedded library the tests rely on.
const (
	requestScenario = "tenant-wide-mail-outage"       // open-request, exchange-online, A
	inHouseScenario = "broken-outlook-profile-one-pc" // handle-in-house
)

// perfectAnswer is the form a learner who gets everything right sends.
func perfectAnswer(t *testing.T, ts *testServer, uid string) url.Values {
	t.Helper()
	sc, err := ts.Bank.Scenario(uid)
	if err != nil {
		t.Fatal(err)
	}
	if sc.Expect.Action == supportlab.ActionHandleInHouse {
		return url.Values{"action": {supportlab.ActionHandleInHouse}}
	}
	return url.Values{
		"action":      {supportlab.ActionOpenRequest},
		"product":     {sc.Expect.Product},
		"severity":    {sc.Expect.Severity},
		"title":       {"Nobody can send or receive mail"},
		"description": {"Since 8:15 every one of our 220 users is unable to send or receive mail in Outlook and on the web."},
	}
}

func TestSandboxFormHasLabelledFields(t *testing.T) {
	ts := newTestServer(t)
	c := ts.newClient()
	res := c.get("/sandbox/" + requestScenario + "?view=new-request&lang=en")
	if res.Status != http.StatusOK {
		t.Fatalf("status %d", res.Status)
	}
	for _, id := range []string{
		"sr-action-open-request", "sr-action-handle-in-house", "sr-product",
		"sr-severity-A", "sr-severity-B", "sr-severity-C", "sr-title", "sr-description",
		"sr-contact-name", "sr-contact-email", "sr-contact-phone", "sr-affected-users",
	} {
		if !strings.Contains(res.Body, `id="`+id+`"`) || !strings.Contains(res.Body, `<label for="`+id+`"`) {
			t.Errorf("field %s has no input with a label", id)
		}
	}
	for _, name := range []string{"action", "product", "severity", "title", "description"} {
		if !strings.Contains(res.Body, `name="`+name+`"`) {
			t.Errorf("no field named %s", name)
		}
	}
	for _, p := range supportlab.Products {
		if !strings.Contains(res.Body, `<option value="`+p+`"`) {
			t.Errorf("product %s is not offered", p)
		}
	}
	for _, want := range []string{"Exchange Online", "Directory synchronization", "A – Critical", "acceptable workaround", `action="/sandbox/` + requestScenario + `"`} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("form lacks %q", want)
		}
	}
	fr := c.get("/sandbox/" + requestScenario + "?view=new-request&lang=fr")
	if loc := fr.Header.Get("Location"); fr.Status != http.StatusSeeOther || loc != "/sandbox/"+requestScenario+"-fr?view=new-request&lang=fr" {
		t.Fatalf("?lang=fr should lead to the French scenario, keeping the view: %d %q", fr.Status, loc)
	}
	fr = c.get(fr.Header.Get("Location"))
	for _, want := range []string{"Synchronisation d&#39;annuaires", "A – Critique", "Nouvelle demande de service"} {
		if !strings.Contains(fr.Body, want) {
			t.Errorf("French form lacks %q", want)
		}
	}
}

func TestSandboxNavigation(t *testing.T) {
	ts := newTestServer(t)
	c := ts.newClient()
	base := "/sandbox/" + requestScenario
	tests := []struct {
		name     string
		query    string
		want     []string
		wantNot  []string
		wantForm bool
	}{
		{"default is home, collapsed", "", []string{"Show all", `?view=users#admin-center`}, []string{`?view=support#admin-center`}, false},
		{"unknown view falls back to home", "?view=nonsense", []string{"Show all"}, nil, false},
		{"wrong item: users", "?view=users", []string{"Active users", "reset passwords"}, nil, false},
		{"wrong item: billing", "?view=billing", []string{"invoices"}, nil, false},
		{"show all reveals support", "?view=show-all", []string{`?view=support#admin-center`, "Show less", "Marketplace"}, []string{`?view=new-request#admin-center" aria-current`}, false},
		{"support lists the request form", "?view=support", []string{`?view=new-request#admin-center`, "View service requests"}, nil, false},
		{"requests: none open", "?view=requests", []string{"no open service requests"}, nil, false},
		{"new request shows the form", "?view=new-request", []string{`?view=new-request#admin-center" aria-current="page"`}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := c.get(base + tt.query)
			if res.Status != http.StatusOK {
				t.Fatalf("status %d", res.Status)
			}
			for _, w := range tt.want {
				if !strings.Contains(res.Body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			for _, w := range tt.wantNot {
				if strings.Contains(res.Body, w) {
					t.Errorf("page should not have %q", w)
				}
			}
			// The form is in every view's HTML (SPEC: the scenario page carries
			// it) but shown only once the learner has found it.
			if !strings.Contains(res.Body, `name="severity"`) {
				t.Error("request form missing from the page")
			}
			if got := strings.Contains(res.Body, `<div class="ac-request">`); got != tt.wantForm {
				t.Errorf("request form shown = %v, want %v", got, tt.wantForm)
			}
			// The situation and the in-house decision are on every view.
			if !strings.Contains(res.Body, "Northwind") || !strings.Contains(res.Body, `name="action" value="handle-in-house"`) {
				t.Error("situation or in-house decision missing")
			}
		})
	}
}

func TestSandboxSubmit(t *testing.T) {
	ts := newTestServer(t)
	c := ts.newClient()
	c.get("/sandbox?lang=en")
	form := func(uid string) string { return "/sandbox/" + uid + "?view=new-request" }

	t.Run("perfect request scores 100 with its parts", func(t *testing.T) {
		res := c.submit(form(requestScenario), "/sandbox/"+requestScenario, perfectAnswer(t, ts, requestScenario))
		if res.Status != http.StatusOK {
			t.Fatalf("status %d body %.500s", res.Status, res.Body)
		}
		for _, want := range []string{"100<span", "Passed", "20/20", "50/50", "10/10", "100/100",
			"severity-levels#severity", "roles-and-responsibilities#admin-role", "roles-and-responsibilities#microsoft-role",
			"Sign in to save", "Try again", "Next scenario", "Exchange Online"} {
			if !strings.Contains(res.Body, want) {
				t.Errorf("result lacks %q", want)
			}
		}
	})
	t.Run("one level too mild, no description", func(t *testing.T) {
		res := c.submit(form(requestScenario), "/sandbox/"+requestScenario, url.Values{
			"action": {"open-request"}, "product": {"exchange-online"}, "severity": {"B"},
		})
		if res.Status != http.StatusOK {
			t.Fatalf("status %d", res.Status)
		}
		// 20 + 10 + 20 + 0 = 50
		for _, want := range []string{"50<span", "10/50", "0/10", "Not passed yet", "one level milder"} {
			if !strings.Contains(res.Body, want) {
				t.Errorf("result lacks %q", want)
			}
		}
	})
	t.Run("in-house scenario handled in-house", func(t *testing.T) {
		res := c.submit(form(inHouseScenario), "/sandbox/"+inHouseScenario, url.Values{"action": {"handle-in-house"}, "product": {""}, "severity": {""}})
		if res.Status != http.StatusOK {
			t.Fatalf("status %d body %.500s", res.Status, res.Body)
		}
		for _, want := range []string{"100<span", "100/100", "Why this one is yours as the admin", "client software", "nothing to file"} {
			if !strings.Contains(res.Body, want) {
				t.Errorf("result lacks %q", want)
			}
		}
	})
	t.Run("in-house scenario filed as a request", func(t *testing.T) {
		res := c.submit(form(inHouseScenario), "/sandbox/"+inHouseScenario, perfectAnswer(t, ts, requestScenario))
		if res.Status != http.StatusOK {
			t.Fatalf("status %d", res.Status)
		}
		for _, want := range []string{"0<span", "0/100", "Not passed yet", "Why this one is yours as the admin"} {
			if !strings.Contains(res.Body, want) {
				t.Errorf("result lacks %q", want)
			}
		}
	})
	t.Run("request scenario kept in-house", func(t *testing.T) {
		res := c.submit(form(requestScenario), "/sandbox/"+requestScenario, url.Values{"action": {"handle-in-house"}})
		for _, want := range []string{"0<span", "Why Microsoft support should be involved"} {
			if !strings.Contains(res.Body, want) {
				t.Errorf("result lacks %q", want)
			}
		}
	})
	t.Run("request without product or severity is scored, not refused", func(t *testing.T) {
		res := c.submit(form(requestScenario), "/sandbox/"+requestScenario, url.Values{"action": {"open-request"}})
		if res.Status != http.StatusOK {
			t.Fatalf("status %d", res.Status)
		}
		// 20 for the action, nothing else.
		for _, want := range []string{"20<span", "0/50", "0/20", "You chose no severity"} {
			if !strings.Contains(res.Body, want) {
				t.Errorf("result lacks %q", want)
			}
		}
	})
	t.Run("the quick in-house button of the situation", func(t *testing.T) {
		res := c.submit("/sandbox/"+inHouseScenario, "/sandbox/"+inHouseScenario, url.Values{"action": {"handle-in-house"}})
		if res.Status != http.StatusOK || !strings.Contains(res.Body, "100/100") {
			t.Fatalf("status %d", res.Status)
		}
	})
}

func TestSandboxSubmitInvalid(t *testing.T) {
	ts := newTestServer(t)
	c := ts.newClient()
	c.get("/sandbox?lang=en")
	kept := url.Values{"title": {"Mail is down"}, "description": {"Nobody at all can send anything since this morning."}, "contact_name": {"Ada Admin"}}
	with := func(kv ...string) url.Values {
		v := url.Values{}
		for k, vs := range kept {
			v[k] = vs
		}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	tests := []struct {
		name    string
		form    url.Values
		errorID string // the field error the page must name
		message string
	}{
		{"missing action", with("product", "exchange-online", "severity", "A"), "sr-action-error", "Choose what you do"},
		{"unknown action", with("action", "escalate", "product", "exchange-online", "severity", "A"), "sr-action-error", "“escalate” is not one of the choices"},
		{"unknown product", with("action", "open-request", "product", "teams", "severity", "A"), "sr-product-error", "“teams” is not a product"},
		{"unknown severity", with("action", "open-request", "product", "exchange-online", "severity", "D"), "sr-severity-error", "“D” is not a severity level"},
		{"in-house with an unknown product", with("action", "handle-in-house", "product", "nope"), "sr-product-error", "“nope” is not a product"},
		{"title too long", with("action", "open-request", "product", "exchange-online", "severity", "A", "title", strings.Repeat("x", 201)), "sr-title-error", "too long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := c.submit("/sandbox/"+requestScenario+"?view=new-request", "/sandbox/"+requestScenario, tt.form)
			if res.Status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", res.Status)
			}
			for _, want := range []string{
				`role="alert"`, `id="` + tt.errorID + `"`, tt.message,
				`aria-describedby="`, tt.errorID + `"`, `name="severity"`,
				`value="Ada Admin"`, "Nobody at all can send anything since this morning.</textarea>",
			} {
				if !strings.Contains(res.Body, want) {
					t.Errorf("page lacks %q", want)
				}
			}
			if tt.errorID != "sr-title-error" && !strings.Contains(res.Body, `value="Mail is down"`) {
				t.Error("title not kept")
			}
			if a := tt.form.Get("action"); supportlab.ValidAction(a) && !regexp.MustCompile(`value="`+a+`" checked`).MatchString(res.Body) {
				t.Errorf("action %s not kept", a)
			}
			if p := tt.form.Get("product"); supportlab.ValidProduct(p) && !strings.Contains(res.Body, `value="`+p+`" selected`) {
				t.Errorf("product %s not kept", p)
			}
		})
	}

	t.Run("in-house with empty product and severity is fine", func(t *testing.T) {
		res := c.submit("/sandbox/"+inHouseScenario, "/sandbox/"+inHouseScenario, url.Values{"action": {"handle-in-house"}, "product": {""}, "severity": {""}})
		if res.Status != http.StatusOK {
			t.Fatalf("status %d", res.Status)
		}
	})
	t.Run("missing CSRF token", func(t *testing.T) {
		if res := c.post("/sandbox/"+requestScenario, perfectAnswer(t, ts, requestScenario)); res.Status != http.StatusForbidden {
			t.Fatalf("status %d, want 403", res.Status)
		}
	})
	t.Run("unknown scenario", func(t *testing.T) {
		if res := c.get("/sandbox/no-such-scenario"); res.Status != http.StatusNotFound {
			t.Fatalf("GET status %d, want 404", res.Status)
		}
		if res := c.submit("/sandbox/"+requestScenario, "/sandbox/no-such-scenario", perfectAnswer(t, ts, requestScenario)); res.Status != http.StatusNotFound {
			t.Fatalf("POST status %d, want 404", res.Status)
		}
	})
}

func TestSandboxEscapesLearnerText(t *testing.T) {
	ts := newTestServer(t)
	c := ts.newClient()
	evil := `<script>alert("x")</script>`
	attr := `"><img src=x onerror=alert(1)>`
	check := func(t *testing.T, body string) {
		t.Helper()
		for _, raw := range []string{evil, "<img src=x"} {
			if strings.Contains(body, raw) {
				t.Errorf("learner text %q reached the page unescaped", raw)
			}
		}
		if !strings.Contains(body, "&lt;script&gt;") {
			t.Error("escaped learner text missing")
		}
	}
	t.Run("re-rendered on 422", func(t *testing.T) {
		res := c.submit("/sandbox/"+requestScenario, "/sandbox/"+requestScenario, url.Values{
			"action": {"open-request"}, "product": {evil}, "severity": {attr},
			"title": {attr}, "description": {evil}, "contact_name": {attr},
		})
		if res.Status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", res.Status)
		}
		check(t, res.Body)
	})
	t.Run("shown on the result", func(t *testing.T) {
		res := c.submit("/sandbox/"+requestScenario, "/sandbox/"+requestScenario, url.Values{
			"action": {"open-request"}, "product": {"exchange-online"}, "severity": {"A"},
			"title": {attr}, "description": {evil + " and a description long enough to count"},
		})
		if res.Status != http.StatusOK {
			t.Fatalf("status %d", res.Status)
		}
		check(t, res.Body)
	})
}

func TestSandboxList(t *testing.T) {
	ts := newTestServer(t)
	c := ts.newClient()
	link := regexp.MustCompile(`href="/sandbox/([a-z0-9-]+)"`)
	for _, lang := range supportlab.Languages {
		t.Run(lang, func(t *testing.T) {
			res := c.get("/sandbox?lang=" + lang)
			if res.Status != http.StatusOK {
				t.Fatalf("status %d", res.Status)
			}
			seen := map[string]bool{}
			for _, m := range link.FindAllStringSubmatch(res.Body, -1) {
				if m[1] == "drill" {
					continue
				}
				seen[m[1]] = true
				if strings.HasSuffix(m[1], "-fr") != (lang == "fr") {
					t.Errorf("%s list links to %s", lang, m[1])
				}
			}
			want := ts.Bank.Scenarios(lang)
			if len(seen) != len(want) || len(want) == 0 {
				t.Errorf("%d scenarios listed, want %d", len(seen), len(want))
			}
			for _, sc := range want {
				if !seen[sc.UID] {
					t.Errorf("scenario %s not listed", sc.UID)
				}
			}
			if !strings.Contains(res.Body, `href="/sandbox/drill"`) {
				t.Error("no link to the drill")
			}
			if !strings.Contains(res.Body, "Exchange Online") {
				t.Error("no product tag")
			}
		})
	}
}

func TestSandboxSignedInAttemptAndBestScore(t *testing.T) {
	ts := newTestServer(t)
	c := ts.newClient()
	c.get("/sandbox?lang=en")
	c.signup("ada@example.com", "Ada", "correct horse battery staple")
	if res := c.get("/sandbox"); !strings.Contains(res.Body, "Not tried yet") {
		t.Fatal("signed-in list does not show untried scenarios")
	}
	ans := perfectAnswer(t, ts, requestScenario)
	ans.Set("severity", "B")
	res := c.follow(c.submit("/sandbox/"+requestScenario+"?view=new-request", "/sandbox/"+requestScenario, ans))
	if res.Status != http.StatusOK || !strings.Contains(res.Body, "has been saved") {
		t.Fatalf("status %d, saved notice missing", res.Status)
	}
	list, err := ts.DB.ListAttempts(context.Background(), userID(t, ts, "ada@example.com"))
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 {
		t.Fatalf("%d attempts stored, want 1", len(list))
	}
	a := list[0]
	if a.Kind != supportlab.KindSandbox || a.UID != requestScenario || a.Score != 60 || a.Passed || a.Expected != "A" {
		t.Errorf("attempt %+v", a)
	}
	if a.Parts == nil || *a.Parts != (supportlab.SandboxParts{Action: 20, Severity: 10, Product: 20, Description: 10}) {
		t.Errorf("parts %+v", a.Parts)
	}
	if a.Answer == nil || a.Answer.Action != "open-request" || a.Answer.Product != "exchange-online" || a.Answer.Severity != "B" {
		t.Errorf("answer %+v", a.Answer)
	}
	if res := c.get("/sandbox"); !strings.Contains(res.Body, "Your best score: 60/100") {
		t.Error("best score not on the list")
	}
}

// userID finds the id of the account with email.
func userID(t *testing.T, ts *testServer, email string) int64 {
	t.Helper()
	users, err := ts.DB.ListUsers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		if u.Email == email {
			return u.ID
		}
	}
	t.Fatalf("no user %s", email)
	return 0
}
