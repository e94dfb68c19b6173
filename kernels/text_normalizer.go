package kernels

import (
	"strings"
	"unicode"

	"github.com/nncc/nncc/ir"
)

// StringNormalizer.

func init() {
	Register("", "StringNormalizer", buildStringNormalizer)
}

// buildStringNormalizer removes the elements of X (shape [C] or [1, C])
// that are stop words, then maps the rest to lower or upper case
// (case_change_action LOWER/UPPER) or leaves them (NONE). Stop words match
// exactly when is_case_sensitive is 1 and regardless of case otherwise.
// When every element is removed the output is [""] with shape [1] or [1, 1].
//
// Case mapping follows Unicode's default rules, which is what every locale
// uses except the Turkic ones (tr, az), whose dotted/dotless i rules are
// applied when locale names them. Other locale names are accepted.
func buildStringNormalizer(b *Build) (Func, error) {
	if err := txtRequireString(b, 0); err != nil {
		return nil, err
	}
	a := b.Attrs()
	action := a.String("case_change_action", "NONE")
	locale := a.String("locale", "")
	special := txtCaseFor(locale)
	var change func(string) string
	switch action {
	case "NONE":
	case "LOWER":
		change = func(s string) string { return strings.ToLowerSpecial(special, s) }
	case "UPPER":
		change = func(s string) string { return strings.ToUpperSpecial(special, s) }
	default:
		return nil, b.Errorf("case_change_action %q must be LOWER, UPPER or NONE", action)
	}
	sensitive := a.Int("is_case_sensitive", 0) != 0
	fold := func(s string) string { return strings.ToLowerSpecial(special, s) }
	stops := map[string]bool{}
	for _, w := range a.Strings("stopwords", nil) {
		if !sensitive {
			w = fold(w)
		}
		stops[w] = true
	}
	return func(c *Ctx, in []*ir.Tensor) error {
		x, xs, err := txtStrings(c, in, 0)
		if err != nil {
			return err
		}
		twoD := false
		switch {
		case x.Rank() == 1:
		case x.Rank() == 2 && x.Shape[0] == 1:
			twoD = true
		default:
			return c.Errorf("input 0 must have shape [C] or [1, C], got %v", x.Shape)
		}
		kept := make([]string, 0, len(xs))
		for _, s := range xs {
			key := s
			if !sensitive {
				key = fold(s)
			}
			if stops[key] {
				continue
			}
			if change != nil {
				s = change(s)
			}
			kept = append(kept, s)
		}
		if len(kept) == 0 {
			kept = append(kept, "")
		}
		shape := []int64{int64(len(kept))}
		if twoD {
			shape = []int64{1, int64(len(kept))}
		}
		y, err := c.OutputUninit(0, ir.String, shape)
		if err != nil {
			return err
		}
		copy(y.Data.([]string), kept)
		return nil
	}, nil
}

// txtCaseFor returns the special case mapping of a locale name such as
// "tr_TR" or "az-Latn-AZ" (Turkic rules), or nil for default Unicode rules.
func txtCaseFor(locale string) unicode.SpecialCase {
	lang := strings.ToLower(locale)
	if i := strings.IndexAny(lang, "_-.@"); i >= 0 {
		lang = lang[:i]
	}
	switch lang {
	case "tr", "az":
		return unicode.TurkishCase
	}
	return nil
}
