package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"supportlab/app/supportlab"
	"supportlab/quizzes"
)

const (
	checkUID = "support-check-en"  // the module's knowledge check: all questions, shuffled choices
	drawUID  = "severity-drill-en" // draws 5 questions of its pool
)

func (ts *testServer) quiz(uid string) *supportlab.Quiz {
	ts.t.Helper()
	q, err := ts.Bank.Quiz(uid)
	if err != nil {
		ts.t.Fatal(err)
	}
	return q
}

// pick says which choices (file order) to send for a question.
type pick func(q *supportlab.Question) []int

// rightChoices lists the choices the file marks isCorrect, read from the
// data rather than through the code under test.
func rightChoices(q *supportlab.Question) []int {
	var idx []int
	for i, c := range q.Choices {
		if c.IsCorrect {
			idx = append(idx, i)
		}
	}
	return idx
}

func firstWrong(q *supportlab.Question) []int {
	for i, c := range q.Choices {
		if !c.IsCorrect {
			return []int{i}
		}
	}
	return nil
}

// answerForm answers the questions ids of q as p says.
func answerForm(q *supportlab.Quiz, ids []string, p func(id string, q *supportlab.Question) []int) url.Values {
	form := url.Values{}
	for _, id := range ids {
		for _, i := range p(id, q.Question(id)) {
			form.Add("q-"+id, strconv.Itoa(i))
		}
	}
	return form
}

func allIDs(q *supportlab.Quiz) []string {
	var ids []string
	for _, qq := range q.Questions {
		ids = append(ids, qq.ID)
	}
	return ids
}

var (
	resultMark = regexp.MustCompile(`<li class="result (right|wrong)">`)
	scoreText  = regexp.MustCompile(`<p class="score">.*?(\d+)%</p>`)
)

func scoreOf(t *testing.T, body string) int {
	t.Helper()
	m := scoreText.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no score on the page:\n%s", mainOf(body))
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

func marksOf(body string) string {
	var out []string
	for _, m := range resultMark.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return strings.Join(out, " ")
}

func TestQuizPage(t *testing.T) {
	ts := newTestServer(t)
	q := ts.quiz(checkUID)
	res := ts.newClient().get("/quiz/" + checkUID)
	if res.Status != http.StatusOK {
		t.Fatalf("status %d", res.Status)
	}
	body := mainOf(res.Body)
	mustContain(t, "quiz page", body, "<h1>"+html.EscapeString(q.Title)+"</h1>",
		`<form method="post" action="/quiz/`+checkUID+`"`, `name="_csrf" value="`)
	checkQuizMarkup(t, body, len(q.Questions))
	// Multiple-answer questions use check boxes and say so.
	for _, qq := range q.Questions {
		want := `type="radio" id="q-` + qq.ID + `-`
		if qq.Multiple() {
			want = `type="checkbox" id="q-` + qq.ID + `-`
		}
		if !strings.Contains(body, want) {
			t.Errorf("question %s: want %s inputs", qq.ID, want)
		}
	}
}

var choiceInput = regexp.MustCompile(`(?s)<input type="(?:radio|checkbox)" id="q-([a-z0-9-]+)-\d+" name="q-[a-z0-9-]+" value="(\d+)"[^>]*>\s*<label for="[^"]+">(.*?)</label>`)

// TestChoiceValuesAreFileIndexes checks that, however the page orders the
// choices, each one's value is its index in the file.
func TestChoiceValuesAreFileIndexes(t *testing.T) {
	ts := newTestServer(t)
	q := ts.quiz(checkUID)
	if !q.Shuffle {
		t.Fatalf("%s no longer shuffles; pick a quiz that does", checkUID)
	}
	c := ts.newClient()
	shuffled := false
	for attempt := 0; attempt < 20; attempt++ {
		body := c.get("/quiz/" + checkUID).Body
		order := map[string][]string{}
		for _, m := range choiceInput.FindAllStringSubmatch(body, -1) {
			id, value, label := m[1], m[2], m[3]
			qq := q.Question(id)
			i, _ := strconv.Atoi(value)
			if qq == nil || i >= len(qq.Choices) {
				t.Fatalf("input %s=%s names no choice", id, value)
			}
			if label != string(qq.Choices[i].ContentHTML) {
				t.Fatalf("question %s: value %d is labelled %q, but choice %d of the file is %q", id, i, label, i, qq.Choices[i].ContentHTML)
			}
			order[id] = append(order[id], value)
		}
		if len(order) != len(q.Questions) {
			t.Fatalf("found choices of %d questions, want %d", len(order), len(q.Questions))
		}
		for _, values := range order {
			for j, v := range values {
				if v != strconv.Itoa(j) {
					shuffled = true
				}
			}
		}
		if shuffled {
			break
		}
	}
	if !shuffled {
		t.Error("20 fetches showed every choice in file order: the quiz is not shuffled")
	}
}

func TestQuizGrading(t *testing.T) {
	ts := newTestServer(t)
	q := ts.quiz(checkUID)
	ids := allIDs(q)
	var multi *supportlab.Question
	for _, qq := range q.Questions {
		if qq.Multiple() {
			multi = qq
			break
		}
	}
	if multi == nil {
		t.Fatal("the knowledge check has no multiple-answer question")
	}
	wrongOf := func(qq *supportlab.Question) int { return firstWrong(qq)[0] }
	// answers everything right except what only changes.
	except := func(only map[string][]int) func(string, *supportlab.Question) []int {
		return func(id string, qq *supportlab.Question) []int {
			if v, ok := only[id]; ok {
				return v
			}
			return rightChoices(qq)
		}
	}
	correct := rightChoices(multi)
	tests := []struct {
		name    string
		answers func(string, *supportlab.Question) []int
		wrong   []string // question ids that must be marked wrong
		score   int      // SPEC: round(100 × right / asked), 12 asked
	}{
		{"all right", except(nil), nil, 100},
		{"all wrong", func(_ string, qq *supportlab.Question) []int { return firstWrong(qq) }, ids, 0},
		{"two wrong", except(map[string][]int{ids[0]: {wrongOf(q.Questions[0])}, ids[3]: {wrongOf(q.Questions[3])}}), []string{ids[0], ids[3]}, 83},
		{"three wrong", except(map[string][]int{ids[1]: nil, ids[2]: {wrongOf(q.Questions[2])}, ids[4]: {wrongOf(q.Questions[4])}}), []string{ids[1], ids[2], ids[4]}, 75},
		{"multiple: only some of the right choices", except(map[string][]int{multi.ID: correct[:1]}), []string{multi.ID}, 92},
		{"multiple: the right choices and a wrong one", except(map[string][]int{multi.ID: append(append([]int(nil), correct...), wrongOf(multi))}), []string{multi.ID}, 92},
		{"multiple: right choices reversed and repeated", except(map[string][]int{multi.ID: append(reversed(correct), correct[0])}), nil, 100},
		{"single: the right choice and a wrong one", except(map[string][]int{ids[0]: append(rightChoices(q.Questions[0]), wrongOf(q.Questions[0]))}), []string{ids[0]}, 92},
	}
	if len(ids) != 12 {
		t.Fatalf("%s asks %d questions; the scores below are for 12", checkUID, len(ids))
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := ts.newClient().submit("/quiz/"+checkUID, "/quiz/"+checkUID, answerForm(q, ids, tt.answers))
			if res.Status != http.StatusOK {
				t.Fatalf("status %d:\n%s", res.Status, mainOf(res.Body))
			}
			isWrong := map[string]bool{}
			for _, id := range tt.wrong {
				isWrong[id] = true
			}
			var want []string
			for _, id := range ids {
				if isWrong[id] {
					want = append(want, "wrong")
				} else {
					want = append(want, "right")
				}
			}
			if got := marksOf(res.Body); got != strings.Join(want, " ") {
				t.Errorf("marks:\n got %s\nwant %s", got, strings.Join(want, " "))
			}
			right := len(ids) - len(tt.wrong)
			if got := scoreOf(t, res.Body); got != tt.score {
				t.Errorf("score %d, want %d (%d of %d right)", got, tt.score, right, len(ids))
			}
			verdict := "Passed"
			if tt.score < 80 {
				verdict = "Not passed yet — the pass mark is 80%"
			}
			mustContain(t, "result page", res.Body, `<p class="verdict">`+verdict+`</p>`,
				fmt.Sprintf("%d of %d questions right", right, len(ids)),
				`<a class="button" href="/quiz/`+checkUID+`">Try again</a>`)
		})
	}
}

func reversed(xs []int) []int {
	out := make([]int, len(xs))
	for i, x := range xs {
		out[len(xs)-1-i] = x
	}
	return out
}

// TestResultExplainsEveryChoice checks the result page: every chosen
// choice with its explanation, and for a wrong question the right answer.
func TestResultExplainsEveryChoice(t *testing.T) {
	ts := newTestServer(t)
	q := ts.quiz(checkUID)
	ids := allIDs(q)
	// Wrong on odd questions, right on even ones, nothing on the last.
	answers := func(id string, qq *supportlab.Question) []int {
		switch n := indexOf(ids, id); {
		case n == len(ids)-1:
			return nil
		case n%2 == 1:
			return firstWrong(qq)
		}
		return rightChoices(qq)
	}
	res := ts.newClient().submit("/quiz/"+checkUID, "/quiz/"+checkUID, answerForm(q, ids, answers))
	if res.Status != http.StatusOK {
		t.Fatalf("status %d", res.Status)
	}
	items := strings.Split(mainOf(res.Body), `<li class="result `)[1:]
	if len(items) != len(ids) {
		t.Fatalf("%d result items, want %d", len(items), len(ids))
	}
	// SPEC: every question with every choice, each marked chosen or not
	// and right or not, with its explanation.
	for n, item := range items {
		qq := q.Questions[n]
		mustContain(t, "result of "+qq.ID, item, string(qq.ContentHTML))
		chosen := answers(qq.ID, qq)
		choices := strings.Split(item, "<li class=\"")[1:]
		if len(choices) != len(qq.Choices) {
			t.Fatalf("result of %s shows %d choices, want all %d", qq.ID, len(choices), len(qq.Choices))
		}
		for i, ch := range qq.Choices {
			// Each choice once, with its explanation.
			var shown string
			for _, c := range choices {
				if strings.Contains(c, string(ch.ContentHTML)) {
					shown = c
				}
			}
			if shown == "" {
				t.Fatalf("result of %s lacks choice %d", qq.ID, i)
			}
			mustContain(t, "result of "+qq.ID, shown, string(ch.ExplanationHTML))
			wantClass := "incorrect"
			if ch.IsCorrect {
				wantClass = "correct"
			}
			if !strings.HasPrefix(shown, wantClass) {
				t.Errorf("result of %s, choice %d: class %.20q, want %s", qq.ID, i, shown, wantClass)
			}
			isChosen := indexOf(intsToStrings(chosen), strconv.Itoa(i)) >= 0
			if got := strings.Contains(shown, "your choice"); got != isChosen {
				t.Errorf("result of %s, choice %d: marked chosen %v, want %v", qq.ID, i, got, isChosen)
			}
		}
		if n == len(ids)-1 {
			mustContain(t, "result of "+qq.ID, item, "You did not answer this question.")
		}
	}
}

// A submission that answers nothing is refused and stores nothing (SPEC).
func TestQuizWithNoAnswerIsRefused(t *testing.T) {
	ts := newTestServer(t)
	for _, who := range []string{"anonymous", "signed in"} {
		t.Run(who, func(t *testing.T) {
			c := ts.newClient()
			if who == "signed in" {
				c.signup("ada@example.com", "Ada", testPassword)
			}
			res := c.submit("/quiz/"+checkUID, "/quiz/"+checkUID, url.Values{})
			if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Answer at least one question") {
				t.Fatalf("status %d, want 422 with a message:\n%s", res.Status, mainOf(res.Body))
			}
			if who == "signed in" {
				if list, err := ts.DB.ListAttempts(context.Background(), ts.userByEmail("ada@example.com").ID); err != nil || len(list) != 0 {
					t.Fatalf("%d attempts stored (%v), want none", len(list), err)
				}
			}
		})
	}
}

func indexOf(xs []string, x string) int {
	for i, v := range xs {
		if v == x {
			return i
		}
	}
	return -1
}

func intsToStrings(xs []int) []string {
	var out []string
	for _, x := range xs {
		out = append(out, strconv.Itoa(x))
	}
	return out
}

func TestQuizRejectsBadAnswers(t *testing.T) {
	ts := newTestServer(t)
	q := ts.quiz(checkUID)
	ids := allIDs(q)
	first := q.Questions[0]
	if first.Multiple() {
		t.Fatalf("%s: the first question should take a single answer", checkUID)
	}
	tests := []struct {
		name   string
		lang   string
		change func(url.Values)
		want   string
	}{
		{"non-numeric", "en", func(f url.Values) { f.Set("q-"+first.ID, "abc") }, "“abc” is not one of the choices of question 1."},
		{"empty value", "en", func(f url.Values) { f.Set("q-"+first.ID, "") }, "“” is not one of the choices of question 1."},
		{"out of range", "en", func(f url.Values) { f.Set("q-"+first.ID, strconv.Itoa(len(first.Choices))) }, fmt.Sprintf("“%d” is not one of the choices of question 1.", len(first.Choices))},
		{"negative", "en", func(f url.Values) { f.Set("q-"+first.ID, "-1") }, "“-1” is not one of the choices of question 1."},
		{"huge number", "en", func(f url.Values) { f.Set("q-"+ids[2], "99999999999999999999999") }, "is not one of the choices of question 3."},
		{"unknown question", "en", func(f url.Values) { f.Set("q-no-such-question", "0") }, "This quiz has no such question."},
		{"in French", "fr", func(f url.Values) { f.Set("q-"+ids[1], "abc") }, "«\u00a0abc\u00a0» ne fait pas partie des choix de la question 2."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ts.newClient()
			c.get("/?lang=" + tt.lang)
			form := answerForm(q, ids, func(_ string, qq *supportlab.Question) []int { return rightChoices(qq) })
			tt.change(form)
			res := c.submit("/quiz/"+checkUID, "/quiz/"+checkUID, form)
			if res.Status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", res.Status)
			}
			body := mainOf(res.Body)
			mustContain(t, "422 page", body, `role="alert"`, tt.want)
			// The form comes back, ready to be sent again, with the valid
			// answers still chosen.
			checkQuizMarkup(t, body, len(q.Questions))
			mustContain(t, "422 page", body, `name="_csrf" value="`)
			if n := strings.Count(body, " checked>"); n < len(ids)-1 {
				t.Errorf("%d choices still checked, want the %d valid answers at least", n, len(ids)-1)
			}
		})
	}
}

func TestQuizCSRF(t *testing.T) {
	ts := newTestServer(t)
	q := ts.quiz(checkUID)
	form := answerForm(q, allIDs(q), func(_ string, qq *supportlab.Question) []int { return rightChoices(qq) })
	tests := []struct {
		name  string
		token string // "" sends no _csrf field
	}{
		{"no token", ""},
		{"made-up token", "0d7ac3c4-8b4e-4a8e-9d6f-2b1c3e4f5a6b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ts.newClient()
			c.get("/quiz/" + checkUID) // has a CSRF cookie, like a real browser
			f := url.Values{}
			for k, v := range form {
				f[k] = v
			}
			if tt.token != "" {
				f.Set("_csrf", tt.token)
			}
			res := c.post("/quiz/"+checkUID, f)
			if res.Status != http.StatusForbidden {
				t.Fatalf("status %d, want 403", res.Status)
			}
			mustContain(t, "403 page", res.Body, "This form has expired or did not come from SupportLab.")
			mustNotContain(t, "403 page", res.Body, `<li class="result`)
		})
	}
	// A token from another browser does not do either.
	other := ts.newClient().csrf("/quiz/" + checkUID)
	c := ts.newClient()
	c.get("/quiz/" + checkUID)
	f := url.Values{"_csrf": {other}}
	if res := c.post("/quiz/"+checkUID, f); res.Status != http.StatusForbidden {
		t.Errorf("another browser's token: status %d, want 403", res.Status)
	}
	// In French, the message is French.
	fr := ts.newClient()
	fr.get("/?lang=fr")
	res := fr.post("/quiz/"+checkUID, url.Values{})
	mustContain(t, "French 403 page", res.Body, "Ce formulaire a expiré")
}

func TestNotFound(t *testing.T) {
	ts := newTestServer(t)
	tests := []struct {
		name, method, path string
	}{
		{"unknown quiz", "GET", "/quiz/no-such-quiz"},
		{"unknown quiz, posted", "POST", "/quiz/no-such-quiz"},
		{"unknown module", "GET", "/learn/no-such-module"},
		{"unknown unit", "GET", "/learn/" + moduleSlug + "/no-such-unit"},
		{"unit number that does not match", "GET", "/learn/" + moduleSlug + "/04-knowledge-check"},
		{"unknown page", "GET", "/no/such/page"},
		{"encoded dots in a module", "GET", "/learn/..%2F..%2Fetc"},
		{"encoded dots in a unit", "GET", "/learn/" + moduleSlug + "/..%2F..%2Fmain.go"},
		{"dots in a static path", "GET", "/static/../go.mod"},
		{"encoded dots in a static path", "GET", "/static/..%2F..%2Fgo.mod"},
		{"dot segments in a static path", "GET", "/static/css/../../app/main.go"},
		{"encoded slash in a quiz uid", "GET", "/quiz/..%2F" + checkUID},
		{"dot-dot as a quiz uid", "GET", "/quiz/%2e%2e"},
		{"NUL byte", "GET", "/learn/" + moduleSlug + "/%00"},
		{"invalid UTF-8", "GET", "/quiz/%ff%fe"},
		{"source file", "GET", "/static/embed.go"},
		{"quiz file", "GET", "/quizzes/" + checkUID + ".yml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ts.newClient()
			var res response
			if tt.method == "POST" {
				res = c.submit("/quiz/"+checkUID, tt.path, url.Values{"q-x": {"0"}})
			} else {
				res = c.get(tt.path)
			}
			if res.Status != http.StatusNotFound {
				t.Fatalf("%s %s = %d, want 404", tt.method, tt.path, res.Status)
			}
			mustContain(t, "404 page", res.Body, `class="error-page"`, "Page not found")
			mustNotContain(t, "404 page", res.Body, "module supportlab", "package ", "root:")
		})
	}
	fr := ts.newClient()
	res := fr.get("/quiz/no-such-quiz?lang=fr")
	if res.Status != http.StatusNotFound {
		t.Fatalf("status %d", res.Status)
	}
	mustContain(t, "French 404 page", res.Body, "Page introuvable", `<html lang="fr">`)
}

var (
	askedField = regexp.MustCompile(`name="asked" value="([^"]*)"`)
	sigField   = regexp.MustCompile(`name="sig" value="([^"]*)"`)
)

func TestDrawQuiz(t *testing.T) {
	ts := newTestServer(t)
	q := ts.quiz(drawUID)
	if q.Draw != 5 || len(q.Questions) <= 5 {
		t.Fatalf("%s should draw 5 of more questions: draw %d of %d", drawUID, q.Draw, len(q.Questions))
	}
	// start opens the quiz and returns the browser, the form's draw and signature.
	start := func(t *testing.T) (*client, []string, string) {
		t.Helper()
		c := ts.newClient()
		res := c.get("/quiz/" + drawUID)
		if res.Status != http.StatusOK {
			t.Fatalf("status %d", res.Status)
		}
		checkQuizMarkup(t, mainOf(res.Body), 5)
		a, s := askedField.FindStringSubmatch(res.Body), sigField.FindStringSubmatch(res.Body)
		if a == nil || s == nil || s[1] == "" {
			t.Fatal("the form has no signed asked field")
		}
		asked := strings.Split(a[1], ",")
		seen := map[string]bool{}
		for _, id := range asked {
			if q.Question(id) == nil || seen[id] {
				t.Fatalf("asked %v: unknown or repeated question %s", asked, id)
			}
			seen[id] = true
			if !strings.Contains(res.Body, `name="q-`+id+`"`) {
				t.Errorf("asked question %s is not on the page", id)
			}
		}
		if len(asked) != 5 {
			t.Fatalf("asked %d questions, want 5", len(asked))
		}
		return c, asked, s[1]
	}
	notAsked := func(asked []string) string {
		for _, qq := range q.Questions {
			if indexOf(asked, qq.ID) < 0 {
				return qq.ID
			}
		}
		t.Fatal("every question was asked")
		return ""
	}
	right := func(_ string, qq *supportlab.Question) []int { return rightChoices(qq) }

	t.Run("graded on the drawn questions", func(t *testing.T) {
		c, asked, sig := start(t)
		form := answerForm(q, asked, right)
		form.Set("asked", strings.Join(asked, ","))
		form.Set("sig", sig)
		res := c.submit("/quiz/"+drawUID, "/quiz/"+drawUID, form)
		if res.Status != http.StatusOK {
			t.Fatalf("status %d:\n%s", res.Status, mainOf(res.Body))
		}
		if got := marksOf(res.Body); got != "right right right right right" {
			t.Errorf("marks %s", got)
		}
		if scoreOf(t, res.Body) != 100 {
			t.Errorf("score %d", scoreOf(t, res.Body))
		}
		// In the order the page asked them.
		last := -1
		for _, id := range asked {
			at := strings.Index(res.Body, string(q.Question(id).ContentHTML))
			if at < last {
				t.Errorf("results are not in the order asked")
			}
			last = at
		}
	})
	t.Run("half right", func(t *testing.T) {
		c, asked, sig := start(t)
		form := answerForm(q, asked, func(id string, qq *supportlab.Question) []int {
			if indexOf(asked, id) < 2 {
				return firstWrong(qq)
			}
			return rightChoices(qq)
		})
		form.Set("asked", strings.Join(asked, ","))
		form.Set("sig", sig)
		res := c.submit("/quiz/"+drawUID, "/quiz/"+drawUID, form)
		if res.Status != http.StatusOK {
			t.Fatalf("status %d", res.Status)
		}
		if got := scoreOf(t, res.Body); got != 60 {
			t.Errorf("score %d, want 60", got)
		}
		mustContain(t, "result page", res.Body, "Not passed yet — the pass mark is 70%")
	})
	t.Run("numbers in messages are the page's", func(t *testing.T) {
		c, asked, sig := start(t)
		form := answerForm(q, asked, right)
		form.Set("q-"+asked[2], "x")
		form.Set("asked", strings.Join(asked, ","))
		form.Set("sig", sig)
		res := c.submit("/quiz/"+drawUID, "/quiz/"+drawUID, form)
		if res.Status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422", res.Status)
		}
		mustContain(t, "422 page", res.Body, "“x” is not one of the choices of question 3.")
		// The same draw comes back.
		if a := askedField.FindStringSubmatch(res.Body); a == nil || a[1] != strings.Join(asked, ",") {
			t.Errorf("the 422 page changed the draw: %v, want %v", a, asked)
		}
	})
	rejects := []struct {
		name   string
		change func(form url.Values, asked []string)
		want   string
	}{
		{"tampered asked", func(f url.Values, asked []string) {
			swapped := append([]string{notAsked(asked)}, asked[1:]...)
			f.Set("asked", strings.Join(swapped, ","))
		}, "The set of questions of this attempt was changed."},
		{"asked reordered", func(f url.Values, asked []string) {
			f.Set("asked", strings.Join(append(asked[1:], asked[0]), ","))
		}, "The set of questions of this attempt was changed."},
		{"signature missing", func(f url.Values, _ []string) { f.Del("sig") }, "The set of questions of this attempt was changed."},
		{"answer to a question not asked", func(f url.Values, asked []string) { f.Set("q-"+notAsked(asked), "0") },
			"One of the answers is for a question this attempt did not ask."},
		{"no draw sent, more answers than the draw", func(f url.Values, asked []string) {
			f.Del("asked")
			f.Del("sig")
			f.Set("q-"+notAsked(asked), "0")
		}, "This quiz asks 5 questions: answer only the questions shown."},
	}
	for _, tt := range rejects {
		t.Run(tt.name, func(t *testing.T) {
			c, asked, sig := start(t)
			form := answerForm(q, asked, right)
			form.Set("asked", strings.Join(asked, ","))
			form.Set("sig", sig)
			tt.change(form, asked)
			res := c.submit("/quiz/"+drawUID, "/quiz/"+drawUID, form)
			if res.Status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", res.Status)
			}
			mustContain(t, "422 page", res.Body, tt.want)
			checkQuizMarkup(t, mainOf(res.Body), 5)
		})
	}
	t.Run("no draw sent, fewer answers: the missing ones count as unanswered", func(t *testing.T) {
		c, asked, _ := start(t)
		form := answerForm(q, asked, right)
		form.Del("q-" + asked[0])
		res := c.submit("/quiz/"+drawUID, "/quiz/"+drawUID, form)
		if res.Status != http.StatusOK || scoreOf(t, res.Body) != 80 {
			t.Fatalf("status %d, want 200 and 4 right of 5 (80%%)", res.Status)
		}
	})
	t.Run("no draw sent, the five answers are graded", func(t *testing.T) {
		c, asked, _ := start(t)
		res := c.submit("/quiz/"+drawUID, "/quiz/"+drawUID, answerForm(q, asked, right))
		if res.Status != http.StatusOK || scoreOf(t, res.Body) != 100 {
			t.Fatalf("status %d", res.Status)
		}
	})
	t.Run("a signature is bound to its quiz", func(t *testing.T) {
		c, asked, sig := start(t)
		fr := ts.quiz("severity-drill-fr")
		form := answerForm(fr, asked, right)
		form.Set("asked", strings.Join(asked, ","))
		form.Set("sig", sig)
		if fr.Question(asked[0]) == nil {
			t.Skip("the French drill has other question ids")
		}
		if res := c.submit("/quiz/severity-drill-fr", "/quiz/severity-drill-fr", form); res.Status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422", res.Status)
		}
	})
}

// hostileQuiz puts script and event-handler markup everywhere a trainer
// can write text.
const hostileQuiz = `uid: hostile-check
title: "Hostile <script>alert(1)</script> check <img src=x onerror=alert(1)>"
lang: en
questions:
- id: first
  content: "Pick <script>alert(2)</script> one <img src=x onerror=alert(2)>"
  choices:
  - content: "Right <script>alert(3)</script><img src=x onerror=alert(3)>"
    isCorrect: true
    explanation: "Because <script>alert(4)</script> <img src=x onerror=alert(4)> [see](javascript:alert(4))"
  - content: "Wrong <img src=x onerror=alert(5)>"
    isCorrect: false
    explanation: "No <script>alert(6)</script> <b onmouseover=alert(6)>bold</b>"
`

func TestQuizTextIsEscaped(t *testing.T) {
	// The shipped quizzes stay (the lessons refer to them), plus the hostile one.
	dir := t.TempDir()
	if err := os.CopyFS(dir, quizzes.FS); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "hostile.yml"), []byte(hostileQuiz), 0o644); err != nil {
		t.Fatal(err)
	}
	ts := newTestServerWith(t, options{Quizzes: os.DirFS(dir)})
	safe := func(t *testing.T, what, body string) {
		t.Helper()
		mustNotContain(t, what, body, "<script>alert", "<img src=x", "<img src=\"x\"", "<b onmouseover", `href="javascript:`, "onerror=\"")
	}
	c := ts.newClient()
	page := c.get("/quiz/hostile-check")
	if page.Status != http.StatusOK {
		t.Fatalf("status %d", page.Status)
	}
	safe(t, "quiz page", page.Body)
	mustContain(t, "quiz page", page.Body, "Hostile &lt;script&gt;alert(1)&lt;/script&gt; check")

	for _, choice := range []string{"0", "1"} {
		res := c.submit("/quiz/hostile-check", "/quiz/hostile-check", url.Values{"q-first": {choice}})
		if res.Status != http.StatusOK {
			t.Fatalf("status %d", res.Status)
		}
		safe(t, "result page", res.Body)
		mustContain(t, "result page", res.Body, "Because", "Right")
	}

	// What the learner sends comes back escaped in the message.
	res := c.submit("/quiz/hostile-check", "/quiz/hostile-check", url.Values{"q-first": {"<script>alert(7)</script>"}})
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", res.Status)
	}
	safe(t, "422 page", res.Body)
	mustContain(t, "422 page", res.Body, "&lt;script&gt;alert(7)&lt;/script&gt;")
}
