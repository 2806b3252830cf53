// Package locale holds the interface's message catalogues (one YAML file per
// language, loaded with go-i18n) and picks the language of a request. Keeping
// every interface string in a catalogue is what lets the language switch
// change the whole page, not only the lesson text.
package locale

import (
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"go.yaml.in/yaml/v3"
	"golang.org/x/text/language"

	"supportlab/app/supportlab"
	"supportlab/app/typography"
)

// Catalog is the loaded set of message catalogues.
type Catalog struct {
	bundle      *i18n.Bundle
	translators map[string]*Translator
	keys        map[string][]string
}

// Load reads every "<feature>.<lang>.yaml" catalogue of fsys for each
// supported language. One file per feature keeps a feature's strings beside
// each other and lets features be worked on apart.
func Load(fsys fs.FS) (*Catalog, error) {
	b := i18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("yaml", yaml.Unmarshal)
	c := &Catalog{bundle: b, translators: map[string]*Translator{}, keys: map[string][]string{}}
	for _, lang := range supportlab.Languages {
		names, err := fs.Glob(fsys, "*."+lang+".yaml")
		if err != nil {
			return nil, fmt.Errorf("locale: catalogues for %s: %w", lang, err)
		} else if len(names) == 0 {
			return nil, fmt.Errorf("locale: no catalogue for %s", lang)
		}
		msgs := map[string]*i18n.Message{}
		for _, name := range names {
			buf, err := fs.ReadFile(fsys, name)
			if err != nil {
				return nil, fmt.Errorf("locale: %w", err)
			}
			mf, err := b.ParseMessageFileBytes(buf, name)
			if err != nil {
				return nil, fmt.Errorf("locale: %s: %w", name, err)
			}
			for _, m := range mf.Messages {
				c.keys[lang] = append(c.keys[lang], m.ID)
				msgs[m.ID] = m
			}
		}
		sort.Strings(c.keys[lang])
		t := &Translator{Lang: lang, loc: i18n.NewLocalizer(b, lang), fixed: map[string]string{}}
		// Messages without template data or plural forms read the same for
		// every visitor: resolve them once, so that a page's dozens of
		// labels cost a map lookup each, not a run of go-i18n's localizer.
		for _, id := range c.keys[lang] {
			if m := msgs[id]; !strings.Contains(m.Other, "{{") && m.Zero == "" && m.One == "" && m.Two == "" && m.Few == "" && m.Many == "" {
				t.fixed[id] = t.localize(&i18n.LocalizeConfig{MessageID: id})
			}
		}
		c.translators[lang] = t
	}
	return c, nil
}

// Keys returns the message ids of lang, sorted; tests compare languages.
func (c *Catalog) Keys(lang string) []string { return c.keys[lang] }

// Translator returns the translator for lang, English if lang is unknown.
func (c *Catalog) Translator(lang string) *Translator {
	if t, ok := c.translators[lang]; ok {
		return t
	}
	return c.translators["en"]
}

// Translator looks messages up in one language. It is safe for concurrent use.
type Translator struct {
	Lang  string
	loc   *i18n.Localizer
	fixed map[string]string // messages with no data, resolved at load
}

// T returns message id with template data given as name/value pairs:
// T("hello", "Name", "Ada"). A missing message shows its id, which the
// catalogue tests catch before it reaches a user.
func (t *Translator) T(id string, pairs ...any) string {
	if len(pairs) == 0 {
		if s, ok := t.fixed[id]; ok {
			return s
		}
	}
	return t.localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: pairsToMap(pairs)})
}

// TN is T for messages with plural forms; n picks the form and is available
// to the message as .Count.
func (t *Translator) TN(id string, n int, pairs ...any) string {
	data := pairsToMap(pairs)
	data["Count"] = n
	return t.localize(&i18n.LocalizeConfig{MessageID: id, PluralCount: n, TemplateData: data})
}

// localize shows the message's id when it cannot be found or filled in.
// A French message gets its punctuation spacing here (see package
// typography): once at load for the messages resolved into fixed, after
// filling in the data for the others, so that neither catalogue authors
// nor the data ever need to type a no-break space.
func (t *Translator) localize(cfg *i18n.LocalizeConfig) string {
	s, err := t.loc.Localize(cfg)
	if err != nil {
		return cfg.MessageID
	}
	return typography.For(t.Lang, s)
}

func pairsToMap(pairs []any) map[string]any {
	m := make(map[string]any, len(pairs)/2+1)
	for i := 0; i+1 < len(pairs); i += 2 {
		if k, ok := pairs[i].(string); ok {
			m[k] = pairs[i+1]
		}
	}
	return m
}

// Negotiate picks a supported language from an Accept-Language header,
// honouring q-values; it returns "" when the header names none of ours.
func Negotiate(acceptLanguage string) string {
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil {
		return ""
	}
	for _, tag := range tags {
		base, _ := tag.Base()
		b := strings.ToLower(base.String())
		if supportlab.ValidLanguage(b) {
			return b
		}
	}
	return ""
}
