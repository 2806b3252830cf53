package quizbank_test

import (
	"strings"
	"testing"

	"supportlab/app/supportlab"
)

// validScenario is a correct scenario file; cases edit it line by line.
const validScenario = `uid: tenant-wide-mail-outage
title: Nobody can send mail
lang: en
situation: "Since 9 a.m. nobody can send mail."
explanation: "A service unusable for everyone is severity A."
expect:
  action: open-request
  severity: A
  product: exchange-online
`

// specProducts are SPEC's products in SPEC's order, written out rather than
// read from supportlab.Products, so that the loader's list is checked
// against the contract and not against itself.
const specProducts = "exchange-online, sharepoint-online, microsoft-teams, skype-for-business-online, " +
	"microsoft-365-apps, provisioning, domains, single-sign-on, directory-sync, billing-and-licensing"

// scenarioWith replaces whole lines of validScenario (1-based); "" blanks a
// line out with a comment so that the others keep their numbers.
func scenarioWith(repl map[int]string) string {
	lines := strings.Split(strings.TrimSuffix(validScenario, "\n"), "\n")
	for n, l := range repl {
		if l == "" {
			l = "# removed"
		}
		lines[n-1] = l
	}
	return strings.Join(lines, "\n") + "\n"
}

func TestParseScenario(t *testing.T) {
	tests := []struct {
		name   string
		src    string
		want   []string
		expect supportlab.Expectation
	}{
		{"valid", validScenario, nil,
			supportlab.Expectation{Action: "open-request", Product: "exchange-online", Severity: "A"}},
		{"in-house without product or severity", scenarioWith(map[int]string{7: "  action: handle-in-house", 8: "", 9: ""}), nil,
			supportlab.Expectation{Action: "handle-in-house"}},
		{"in-house ignores product and severity", scenarioWith(map[int]string{7: "  action: handle-in-house", 9: "  product: nonsense"}), nil,
			supportlab.Expectation{Action: "handle-in-house"}},
		{"unknown product", scenarioWith(map[int]string{9: "  product: exchange"}),
			[]string{`s.yml:9: expect.product must be one of ` + specProducts + `, not "exchange"`}, supportlab.Expectation{}},
		{"missing product", scenarioWith(map[int]string{9: ""}),
			[]string{`s.yml:7: expect.product must be one of ` + specProducts + `, not ""`}, supportlab.Expectation{}},
		{"bad severity", scenarioWith(map[int]string{8: "  severity: critical"}),
			[]string{`s.yml:8: expect.severity must be A, B or C, not "critical"`}, supportlab.Expectation{}},
		{"lower-case severity", scenarioWith(map[int]string{8: "  severity: a"}),
			[]string{`s.yml:8: expect.severity must be A, B or C, not "a"`}, supportlab.Expectation{}},
		{"bad action", scenarioWith(map[int]string{7: "  action: escalate"}),
			[]string{`s.yml:7: expect.action must be open-request or handle-in-house, not "escalate"`}, supportlab.Expectation{}},
		{"missing expect", scenarioWith(map[int]string{6: "", 7: "", 8: "", 9: ""}),
			[]string{`s.yml:1: expect.action must be open-request or handle-in-house, not ""`}, supportlab.Expectation{}},
		{"missing fields", "lang: en\nexpect:\n  action: handle-in-house\n",
			[]string{
				`s.yml:1: uid is required`,
				`s.yml:1: title is required`,
				`s.yml:1: situation is required`,
				`s.yml:1: explanation is required`,
			}, supportlab.Expectation{}},
		{"bad uid and lang", scenarioWith(map[int]string{1: "uid: Mail Outage", 3: "lang: english"}),
			[]string{
				`s.yml:1: uid "Mail Outage" may only hold lower-case letters, digits, dots and dashes`,
				`s.yml:3: lang must be en or fr, not "english"`,
			}, supportlab.Expectation{}},
		{"misspelt field", scenarioWith(map[int]string{8: "  Severity: A"}),
			[]string{`s.yml:8: unknown field "Severity" (did you mean "severity"?)`}, supportlab.Expectation{}},
		{"uid with dots", scenarioWith(map[int]string{1: "uid: learn.tenant-wide-mail-outage"}), nil, // SPEC: [a-z0-9.-]+
			supportlab.Expectation{Action: "open-request", Product: "exchange-online", Severity: "A"}},
		{"syntax error", scenarioWith(map[int]string{4: `situation: "Since 9 a.m. nobody can send mail.`}),
			[]string{`s.yml:5: did not find expected key`}, supportlab.Expectation{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, ps := newBank().ParseScenario("s.yml", []byte(tt.src))
			if got := strings.Join(problemLines(ps), "\n"); got != strings.Join(tt.want, "\n") {
				t.Fatalf("problems:\n%s\nwant:\n%s", got, strings.Join(tt.want, "\n"))
			}
			if tt.want != nil {
				if s != nil {
					t.Errorf("a bad file gave a scenario")
				}
				return
			}
			if s == nil {
				t.Fatal("no scenario")
			}
			if s.Expect != tt.expect {
				t.Errorf("expect = %+v, want %+v", s.Expect, tt.expect)
			}
			if !strings.HasSuffix(s.UID, "tenant-wide-mail-outage") || s.Lang != "en" || s.Hash == "" ||
				!strings.Contains(string(s.SituationHTML), "<p>Since 9 a.m.") {
				t.Errorf("scenario = %+v", s)
			}
		})
	}
}

// TestScenarioAcceptsEverySpecProduct checks that each product SPEC names
// can be expected by a scenario file.
func TestScenarioAcceptsEverySpecProduct(t *testing.T) {
	for _, product := range strings.Split(specProducts, ", ") {
		t.Run(product, func(t *testing.T) {
			s, ps := newBank().ParseScenario("s.yml", []byte(scenarioWith(map[int]string{9: "  product: " + product})))
			if len(ps) > 0 {
				t.Fatalf("problems:\n%v", ps)
			}
			if s.Expect.Product != product {
				t.Errorf("expect.product = %q, want %q", s.Expect.Product, product)
			}
		})
	}
}
