package web

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"html"
	"html/template"
	"sync"

	"github.com/gofiber/fiber/v2"

	"supportlab/app/supportlab"
)

// Shared pages. Most of a lesson or quiz page is the same for every visitor
// who reads it in the same language with the same kind of account: only the
// CSRF token of its forms, the signed-in visitor's name and a quiz's drawn
// and shuffled questions differ. Such a page is rendered once through its
// ordinary templates, with a marker in each of those places, and kept as a
// skeleton: the bytes between the markers. Every later request writes the
// skeleton's bytes and fills the holes, without executing a template.

// hole is a part of a shared page that differs per request.
type hole uint8

const (
	holeCSRF hole = iota // the CSRF token of the page's forms
	holeName             // the signed-in visitor's name
	holeQuiz             // a quiz form's body, assembled per request
	holeCount
)

// holeMarkers are the strings a skeleton render puts where a hole goes:
// random for the process, so that no content can guess and forge one.
var holeMarkers = func() [holeCount]string {
	var ms [holeCount]string
	for i := range ms {
		b := make([]byte, 12)
		if _, err := rand.Read(b); err != nil {
			panic(err)
		}
		ms[i] = "\x01" + hex.EncodeToString(b) + "\x01"
	}
	return ms
}()

// skeleton is a shared page split at its holes: parts[i] is followed by
// holes[i]; the last part is followed by nothing.
type skeleton struct {
	parts [][]byte
	holes []hole
}

// skeletons caches shared pages by key. Keys come from content (views,
// languages, unit and quiz ids, account kinds), never from the raw request,
// so the cache cannot grow without bound.
type skeletons struct {
	mu sync.RWMutex
	m  map[string]*skeleton
}

func (k *skeletons) get(key string) *skeleton {
	k.mu.RLock()
	defer k.mu.RUnlock()
	return k.m[key]
}

func (k *skeletons) put(key string, sk *skeleton) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.m == nil {
		k.m = map[string]*skeleton{}
	}
	k.m[key] = sk
}

// accountKind is what of the visitor's account shows on a shared page: the
// menu differs for anonymous visitors, learners, trainers and admins.
func accountKind(u *supportlab.User) string {
	if u == nil {
		return "anonymous"
	}
	return u.Role
}

// sharedPage is the shared part of a page: its Page (where the markers go)
// and, for a quiz, the form whose body is a hole.
type sharedPage struct {
	view string
	key  string // what, beside view, language, account kind and path, the bytes depend on
	page *Page  // the Page embedded in data
	data any
	quiz *quizForm // the quiz form on the page, nil if none
}

// renderShared renders a shared page: from its skeleton when there is one,
// else through its templates, keeping the skeleton for the next request.
// A page with a flash message is rendered whole: it is rare and personal.
func (s *Server) renderShared(c *fiber.Ctx, sp sharedPage) error {
	p := sp.page
	if p.Flash != "" {
		s.withBody(c, sp.quiz)
		return c.Render(sp.view, sp.data)
	}
	key := sp.view + "\x00" + p.Lang + "\x00" + accountKind(p.User) + "\x00" + p.Path + "\x00" + sp.key
	sk := s.shared.get(key)
	if sk == nil {
		var err error
		if sk, err = s.buildSkeleton(sp); err != nil {
			return err
		}
		s.shared.put(key, sk)
	}
	// Straight into the response body: no copy of the page in between.
	res := c.Response()
	res.ResetBody()
	for i, part := range sk.parts {
		res.AppendBody(part)
		if i < len(sk.holes) {
			switch sk.holes[i] {
			case holeCSRF:
				res.AppendBodyString(s.csrfOf(c))
			case holeName:
				res.AppendBodyString(html.EscapeString(p.User.Name))
			case holeQuiz:
				s.writeQuizBody(c, res.BodyWriter(), sp.quiz)
			}
		}
	}
	c.Type("html", "utf-8")
	return nil
}

// buildSkeleton renders sp with a marker in each hole and splits the page
// at the markers.
func (s *Server) buildSkeleton(sp sharedPage) (*skeleton, error) {
	saved := *sp.page
	defer func() { *sp.page = saved }()
	sp.page.csrf = func() string { return holeMarkers[holeCSRF] }
	if sp.page.User != nil {
		u := *sp.page.User
		u.Name = holeMarkers[holeName]
		sp.page.User = &u
	}
	if sp.quiz != nil {
		sp.quiz.Body = template.HTML(holeMarkers[holeQuiz])
		defer func() { sp.quiz.Body = "" }()
	}
	var buf bytes.Buffer
	if err := s.views.Render(&buf, sp.view, sp.data, "layouts/main"); err != nil {
		return nil, err
	}
	return splitSkeleton(buf.Bytes()), nil
}

// splitSkeleton cuts a rendered page at every hole marker.
func splitSkeleton(page []byte) *skeleton {
	sk := &skeleton{}
	for {
		at, which := -1, hole(0)
		for h, m := range holeMarkers {
			if i := bytes.Index(page, []byte(m)); i >= 0 && (at < 0 || i < at) {
				at, which = i, hole(h)
			}
		}
		if at < 0 {
			sk.parts = append(sk.parts, bytes.Clone(page))
			return sk
		}
		sk.parts = append(sk.parts, bytes.Clone(page[:at]))
		sk.holes = append(sk.holes, which)
		page = page[at+len(holeMarkers[which]):]
	}
}
