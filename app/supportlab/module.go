package supportlab

import (
	"fmt"
	"html/template"
)

// Module is one lesson module in one language.
type Module struct {
	Slug      string
	Lang      string
	Title     string
	Summary   string
	Order     int
	IntroHTML template.HTML
	Units     []*Unit
	Path      string
}

// Minutes is the module's total reading time.
func (m *Module) Minutes() int {
	n := 0
	for _, u := range m.Units {
		n += u.Minutes
	}
	return n
}

// Unit returns the unit with slug and its index, or nil and -1. The file
// name without .md ("02-severity-levels") names the unit too, since that is
// what a trainer sees in the content folder.
func (m *Module) Unit(slug string) (*Unit, int) {
	for i, u := range m.Units {
		if u.Slug == slug || u.FileSlug() == slug {
			return u, i
		}
	}
	return nil, -1
}

// Unit is one page of a module.
type Unit struct {
	Slug     string // file name without the NN- prefix and .md: the URL part
	Number   int
	Title    string
	Minutes  int
	Quiz     string // uid of the knowledge check shown at the end, if any
	QuizLine int
	HTML     template.HTML
	Path     string
}

// FileSlug is the unit's file name without .md: "02-severity-levels".
func (u *Unit) FileSlug() string { return fmt.Sprintf("%02d-%s", u.Number, u.Slug) }
