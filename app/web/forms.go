package web

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"supportlab/app/supportlab"
)

// Reading requests. Fiber reuses request memory once a handler returns, so
// everything here hands back Go-owned copies.

// isMultipart reports whether the request body is a multipart form.
func isMultipart(c *fiber.Ctx) bool {
	return strings.HasPrefix(string(c.Request().Header.ContentType()), fiber.MIMEMultipartForm)
}

// formValues copies every field of the request body (URL-encoded or
// multipart) into Go-owned strings, keeping repeated fields. The query
// string is not read: a form's values come from its body.
func formValues(c *fiber.Ctx) (map[string][]string, error) {
	out := map[string][]string{}
	if isMultipart(c) {
		mf, err := c.MultipartForm()
		if err != nil {
			return nil, supportlab.NewError(supportlab.EINVALID, "error.text.form_unreadable")
		}
		for k, vs := range mf.Value {
			key := strings.Clone(k)
			for _, v := range vs {
				out[key] = append(out[key], strings.Clone(v))
			}
		}
		return out, nil
	}
	c.Request().PostArgs().VisitAll(func(k, v []byte) {
		key := string(k)
		out[key] = append(out[key], string(v))
	})
	return out, nil
}

// bodyValue returns a copy of the first value of a body field, "" when it
// is absent. Unlike c.FormValue it never reads the query string.
func bodyValue(c *fiber.Ctx, name string) string {
	if isMultipart(c) {
		if mf, err := c.MultipartForm(); err == nil && len(mf.Value[name]) > 0 {
			return strings.Clone(mf.Value[name][0])
		}
		return ""
	}
	return string(c.Request().PostArgs().Peek(name))
}

// first returns the first of vs, or "".
func first(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}

// paramID reads a positive integer route parameter, 0 for anything else:
// no record has id 0, so the use case answers "not found" after checking
// who is asking, as for any other id (a signed-out visitor is sent to sign
// in, whatever the address).
func paramID(c *fiber.Ctx, name string) int64 {
	id, err := strconv.ParseInt(c.Params(name), 10, 64)
	if err != nil || id <= 0 {
		return 0
	}
	return id
}

// canonicalLang returns the package-level string for a supported language,
// so that nothing keeps a reference to Fiber's reused request memory.
func canonicalLang(v string) string {
	for _, l := range supportlab.Languages {
		if l == v {
			return l
		}
	}
	return ""
}

// canonicalRole returns the package-level string for a valid role, "" for
// anything else.
func canonicalRole(r string) string {
	for _, v := range supportlab.Roles {
		if v == r {
			return v
		}
	}
	return ""
}

// withQuery appends the request's query string to path, so that a redirect
// keeps what the page was asked for (?view=, ?lang=).
func withQuery(c *fiber.Ctx, path string) string {
	if q := c.Request().URI().QueryString(); len(q) > 0 {
		return path + "?" + string(q)
	}
	return path
}

// translationURL is where a GET with ?lang= goes when the quiz or scenario
// shown (uid, in itemLang) has a translation in the language asked for:
// prefix + the translation's uid, keeping the query. It is "" when no
// language was asked for, the item is in it already, or it has none.
func translationURL(c *fiber.Ctx, prefix, uid, itemLang string, exists func(string) bool) string {
	lang := currentLang(c)
	if c.Query("lang") == "" || itemLang == lang {
		return ""
	}
	if other := translatedUID(uid, lang, exists); other != "" {
		return withQuery(c, prefix+other)
	}
	return ""
}

// translatedUID finds the uid of the same quiz or scenario in lang, by the
// naming convention of the library: "<base>-en"/"<base>-fr", or "<base>" for
// English and "<base>-fr" for French. It returns "" when there is none.
func translatedUID(uid, lang string, exists func(string) bool) string {
	base := translationBase(uid)
	candidates := []string{base + "-" + lang}
	if lang == "en" {
		candidates = append(candidates, base)
	}
	for _, c := range candidates {
		if c != uid && exists(c) {
			return c
		}
	}
	return ""
}

// translationBase is what the translations of one quiz or scenario share
// in their uids: the uid without its -en or -fr ending.
func translationBase(uid string) string {
	for _, l := range supportlab.Languages {
		uid = strings.TrimSuffix(uid, "-"+l)
	}
	return uid
}

// fieldMessages translates the per-field problems of an EINVALID error:
// by field name, and in the form's order for the error summary. It returns
// nil maps for any other error.
func (p Page) fieldMessages(err error) (byField map[string]string, list []string) {
	de := supportlab.AsError(err)
	if de == nil || de.Code != supportlab.EINVALID {
		return nil, nil
	}
	byField = map[string]string{}
	if len(de.Fields) == 0 {
		return byField, []string{p.T(de.Key, de.Args...)}
	}
	for _, f := range de.Fields {
		msg := p.T(f.Key, f.Args...)
		byField[f.Field] = msg
		list = append(list, msg)
	}
	return byField, list
}
