package typography_test

import (
	"strings"
	"testing"

	"supportlab/app/typography"
)

// Written with visible markers so that a failure shows which space is
// where: "_" is U+202F (narrow no-break space), "~" is U+00A0 (no-break
// space). The inputs themselves use only ordinary characters.
func visible(s string) string {
	return strings.NewReplacer("\u202F", "_", "\u00A0", "~").Replace(s)
}

func TestFrench(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"question mark after a space", "Qui fixe la gravité ?", "Qui fixe la gravité_?"},
		{"question mark glued to the word", "Qui fixe la gravité?", "Qui fixe la gravité_?"},
		{"exclamation and semicolon", "Bravo ! Voici la suite ; lisez-la", "Bravo_! Voici la suite_; lisez-la"},
		{"colon gets a full no-break space", "Fait décisif : le site est en panne", "Fait décisif~: le site est en panne"},
		{"colon glued to the word", "Fait décisif: le site", "Fait décisif~: le site"},
		{"colon at the end", "Vous avez vérifié que :", "Vous avez vérifié que~:"},
		{"several spaces become one", "Pourquoi   ?", "Pourquoi_?"},
		{"line break before punctuation", "les plages\n: ici", "les plages~: ici"},
		{"guillemets with spaces", "le libellé « Envoyer » reste", "le libellé «~Envoyer~» reste"},
		{"guillemets without spaces", "le libellé «Envoyer» reste", "le libellé «~Envoyer~» reste"},
		{"question inside guillemets", "il demande « Quoi ? »", "il demande «~Quoi_?~»"},
		{"two guillemet pairs", "« un » et « deux »", "«~un~» et «~deux~»"},
		{"interrobang keeps one space", "Vraiment ?!", "Vraiment_?!"},
		{"hand-typed no-break space before a question mark narrows", "Quoi\u00A0? Bien\u00A0!", "Quoi_? Bien_!"},
		{"hand-typed no-break space elsewhere stays", "à 8\u00A0h\u00A030, 80\u00A0%", "à 8~h~30, 80~%"},
		{"already correct text is unchanged", "Quoi\u202F? Voici\u00A0: «\u00A0oui\u00A0»", "Quoi_? Voici~: «~oui~»"},
		{"time is not a colon", "à 10:30 ce matin", "à 10:30 ce matin"},
		{"time then a real colon", "Depuis 10:30 : rien", "Depuis 10:30~: rien"},
		{"https URL is left alone", "voir https://learn.microsoft.com/fr-fr/a?b=c;d=e!f maintenant", "voir https://learn.microsoft.com/fr-fr/a?b=c;d=e!f maintenant"},
		{"URL followed by a question mark", "Avez-vous lu https://aka.ms/x?", "Avez-vous lu https://aka.ms/x_?"},
		{"URL then a spaced question mark", "Avez-vous lu https://aka.ms/x ?", "Avez-vous lu https://aka.ms/x_?"},
		{"mailto URL", "écrivez à mailto:support@contoso.com; merci", "écrivez à mailto:support@contoso.com_; merci"},
		{"www URL", "le site www.contoso.com/a:b?c est en panne", "le site www.contoso.com/a:b?c est en panne"},
		{"query string outside a URL", "/sandbox?lang=fr", "/sandbox?lang=fr"},
		{"double colon", "Namespace::Type", "Namespace::Type"},
		{"drive letter", "le dossier C:\\Users", "le dossier C:\\Users"},
		{"not-equal operator", "si a != b", "si a != b"},
		{"callout marker", "[!NOTE]", "[!NOTE]"},
		{"punctuation at the very start", "? seul", "? seul"},
		{"empty", "", ""},
		{"nothing to do", "Rien à corriger ici.", "Rien à corriger ici."},
		{"percent is not touched", "80 % requis", "80 % requis"},
		{"after a closing parenthesis", "(voir ci-dessus):", "(voir ci-dessus)~:"},
		{"number before question mark", "Question 3?", "Question 3_?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := visible(typography.French(tt.in))
			if got != tt.want {
				t.Errorf("French(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestFrenchHTML(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"paragraph", "<p>Qui fixe la gravité ?</p>", "<p>Qui fixe la gravité_?</p>"},
		{"attributes are never touched", `<a href="/x?lang=fr" title="Quoi ? Oui : non">lien</a> ?`, `<a href="/x?lang=fr" title="Quoi ? Oui : non">lien</a>_?`},
		{"text after an inline tag", "<p><strong>Fait décisif :</strong> la gravité</p>", "<p><strong>Fait décisif~:</strong> la gravité</p>"},
		{"punctuation right after an inline tag", "<p><strong>Attention</strong>: lisez</p>", "<p><strong>Attention</strong>~: lisez</p>"},
		{"space before punctuation in the next node", "<p><em>vraiment</em> ?</p>", "<p><em>vraiment</em>_?</p>"},
		{"inline code is copied", "<p>lancez <code>Get-X -A:B ; exit !</code> : voilà</p>", "<p>lancez <code>Get-X -A:B ; exit !</code>~: voilà</p>"},
		{"code block is copied", "<pre><code>a : b ? c ; « d »\n</code></pre><p>Fin !</p>", "<pre><code>a : b ? c ; « d »\n</code></pre><p>Fin_!</p>"},
		{"keyboard keys are copied", "<p><kbd>Ctrl</kbd> : copier</p>", "<p><kbd>Ctrl</kbd>~: copier</p>"},
		{"entities are atoms", "<p>R&amp;D ; &quot;oui&quot; ?</p>", "<p>R&amp;D_; &quot;oui&quot;_?</p>"},
		{"entity is not split by a colon rule", "<p>a &lt; b : c</p>", "<p>a &lt; b~: c</p>"},
		{"guillemets across an inline tag", "<p>« <em>Envoyer</em> »</p>", "<p>«~<em>Envoyer</em>~»</p>"},
		{"block tag resets the state", "<p>Fin</p><p>?</p>", "<p>Fin</p><p>?</p>"},
		{"autolink text is a URL", `<p><a href="https://aka.ms/a?b">https://aka.ms/a?b</a> ?</p>`, `<p><a href="https://aka.ms/a?b">https://aka.ms/a?b</a>_?</p>`},
		{"comment is copied", "<!-- raw HTML omitted : ici ? --><p>Oui ?</p>", "<!-- raw HTML omitted : ici ? --><p>Oui_?</p>"},
		{"table cells", "<td>A : critique</td><td>B ?</td>", "<td>A~: critique</td><td>B_?</td>"},
		{"times in text", "<p>à 8:30 ou 10:30</p>", "<p>à 8:30 ou 10:30</p>"},
		{"already correct HTML is unchanged", "<p>Quoi\u202F? «\u00A0oui\u00A0»</p>", "<p>Quoi_? «~oui~»</p>"},
		{"lone less-than in text", "a < b : c", "a < b~: c"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := visible(typography.FrenchHTML(tt.in))
			if got != tt.want {
				t.Errorf("FrenchHTML(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestFor(t *testing.T) {
	tests := []struct {
		name, lang, in, want string
	}{
		{"French", "fr", "Qui décide ?", "Qui décide_?"},
		{"English as written", "en", "Who decides? Note: this.", "Who decides? Note: this."},
		{"unknown language as written", "de", "Wer entscheidet ?", "Wer entscheidet ?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := visible(typography.For(tt.lang, tt.in)); got != tt.want {
				t.Errorf("For(%q, %q) = %q, want %q", tt.lang, tt.in, got, tt.want)
			}
		})
	}
}

// TestIdempotent checks that a second pass changes nothing: content is
// transformed at load, and an imported quiz may be transformed again when
// it is re-rendered from stored text.
func TestIdempotent(t *testing.T) {
	inputs := []string{
		"Qui ? Quoi ! Où ; « comment » : ainsi",
		"<p>Qui ? <strong>Quoi</strong> ! « <em>x</em> » : <code>a : b</code></p>",
		"https://aka.ms/x?y ? et 10:30 : fin",
	}
	for _, in := range inputs {
		once := typography.French(in)
		if twice := typography.French(once); twice != once {
			t.Errorf("French is not idempotent on %q:\n%q\n%q", in, visible(once), visible(twice))
		}
		onceH := typography.FrenchHTML(in)
		if twiceH := typography.FrenchHTML(onceH); twiceH != onceH {
			t.Errorf("FrenchHTML is not idempotent on %q:\n%q\n%q", in, visible(onceH), visible(twiceH))
		}
	}
}

// TestUnchangedStringIsNotCopied pins the fast path: most interface strings
// hold no French punctuation and are returned as they are.
func TestUnchangedStringIsNotCopied(t *testing.T) {
	s := "Vérification des connaissances"
	if got := typography.French(s); got != s {
		t.Fatalf("French(%q) = %q", s, got)
	}
	if n := testing.AllocsPerRun(100, func() { _ = typography.French(s) }); n != 0 {
		t.Errorf("French allocates %.0f times on a string with nothing to do", n)
	}
}

func BenchmarkFrenchHTML(b *testing.B) {
	page := strings.Repeat("<p>Qui fixe la gravité ? <strong>Microsoft</strong> : au moment où il ouvre le dossier ; « voilà » !</p>\n", 50)
	b.SetBytes(int64(len(page)))
	for b.Loop() {
		_ = typography.FrenchHTML(page)
	}
}
