package supportlab

import (
	"html/template"
	"slices"
)

// Actions a learner can take in the sandbox: ask Microsoft, or keep the
// problem because it is the admin's own job.
const (
	ActionOpenRequest   = "open-request"
	ActionHandleInHouse = "handle-in-house"
)

// Actions lists the valid sandbox actions in the order the form shows them.
var Actions = []string{ActionOpenRequest, ActionHandleInHouse}

// Severities are Microsoft's severity levels, most severe first: the order
// matters, scoring measures how many levels a choice is off.
var Severities = []string{"A", "B", "C"}

// Products are the products a service request can be filed for, as SPEC
// names them; the admin center form offers exactly these.
var Products = []string{
	"exchange-online",
	"sharepoint-online",
	"microsoft-teams",
	"skype-for-business-online",
	"microsoft-365-apps",
	"provisioning",
	"domains",
	"single-sign-on",
	"directory-sync",
	"billing-and-licensing",
}

// ValidAction reports whether a is one of Actions. It, ValidProduct and
// ValidSeverity are shared by the web layer and the scenario loader, so that
// a form and a file accept the same values.
func ValidAction(a string) bool { return slices.Contains(Actions, a) }

// ValidProduct reports whether p is one of Products.
func ValidProduct(p string) bool { return slices.Contains(Products, p) }

// ValidSeverity reports whether s is A, B or C.
func ValidSeverity(s string) bool { return slices.Contains(Severities, s) }

// SeverityIndex is 0 for A, 1 for B, 2 for C and -1 otherwise.
func SeverityIndex(s string) int { return slices.Index(Severities, s) }

// Scenario is one sandbox situation and the triage an expert would make.
type Scenario struct {
	UID           string
	Title         string
	Lang          string
	Situation     string
	SituationHTML template.HTML
	Expect        Expectation
	// Area is the product the situation is about, shown in the scenario
	// list. For a request it is the expected product; an in-house scenario
	// may name one too (its product is ignored by scoring), so that the list
	// does not tell in-house scenarios apart.
	Area            string
	Explanation     string
	ExplanationHTML template.HTML
	Path            string
	Hash            string
	Version         int
}

// Expectation is the right answer of a scenario. Product and Severity are
// empty when the admin must handle the problem in-house.
type Expectation struct {
	Action   string
	Product  string
	Severity string
}

// SandboxAnswer is what a learner submitted in the simulated request form.
type SandboxAnswer struct {
	Action      string `json:"action"`
	Product     string `json:"product"`
	Severity    string `json:"severity"`
	Title       string `json:"-"`
	Description string `json:"-"`
}

// SandboxParts is a sandbox score broken down the way SPEC defines it.
type SandboxParts struct {
	Action      int `json:"action"`
	Severity    int `json:"severity"`
	Product     int `json:"product"`
	Description int `json:"description"`
}

// Total is the score: the sum of the parts.
func (p SandboxParts) Total() int { return p.Action + p.Severity + p.Product + p.Description }

// SandboxPassScore is the score at which a sandbox attempt counts as passed.
const SandboxPassScore = 70

// TriageClass names what a scenario expects or what a learner chose, as the
// confusion matrix counts it: "A", "B", "C" or "in-house".
func TriageClass(action, severity string) string {
	if action == ActionHandleInHouse {
		return "in-house"
	}
	return severity
}
