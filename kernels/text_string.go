package kernels

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nncc/nncc/ir"
)

// StringConcat, StringSplit and RegexFullMatch.

func init() {
	Register("", "StringConcat", buildStringConcat)
	Register("", "StringSplit", buildStringSplit)
	Register("", "RegexFullMatch", buildRegexFullMatch)
}

// txtStrings returns the storage of string input i, or an error naming it.
func txtStrings(c *Ctx, in []*ir.Tensor, i int) (*ir.Tensor, []string, error) {
	if i >= len(in) || in[i] == nil {
		return nil, nil, c.Errorf("input %d is missing", i)
	}
	x := in[i]
	if x.Kind != ir.KindTensor || x.DType != ir.String {
		return nil, nil, c.Errorf("input %d must be a string tensor, got %v", i, x.DType)
	}
	return x, x.Data.([]string), nil
}

// txtRequireString checks a statically known input dtype.
func txtRequireString(b *Build, i int) error {
	if dt := b.InDType(i); dt != ir.Undefined && dt != ir.String {
		return b.Errorf("input %d has dtype %v, expected string", i, dt)
	}
	return nil
}

// buildStringConcat: Z = X + Y elementwise with numpy broadcasting.
func buildStringConcat(b *Build) (Func, error) {
	for i := 0; i < 2; i++ {
		if err := txtRequireString(b, i); err != nil {
			return nil, err
		}
	}
	return func(c *Ctx, in []*ir.Tensor) error {
		x, xs, err := txtStrings(c, in, 0)
		if err != nil {
			return err
		}
		y, ys, err := txtStrings(c, in, 1)
		if err != nil {
			return err
		}
		bc, err := NewBroadcast(x.Shape, y.Shape)
		if err != nil {
			return c.Errorf("%v", err)
		}
		z, err := c.OutputUninit(0, ir.String, bc.Shape)
		if err != nil {
			return err
		}
		zs := z.Data.([]string)
		sx, sy := bc.InnerStride(0), bc.InnerStride(1)
		bc.Runs(0, bc.Size, func(out, n int, offs []int) {
			for k := 0; k < n; k++ {
				zs[out+k] = xs[offs[0]+k*sx] + ys[offs[1]+k*sy]
			}
		})
		return nil
	}, nil
}

// buildStringSplit splits every element on the delimiter (Python's
// str.split semantics): with a non-empty delimiter consecutive delimiters
// delimit empty strings; without one, runs of whitespace separate and
// leading/trailing whitespace is dropped. At most maxsplit splits are made,
// the rest of the string being the last substring. Y pads each row of
// substrings with "" to the longest; Z holds the substring counts.
func buildStringSplit(b *Build) (Func, error) {
	if err := txtRequireString(b, 0); err != nil {
		return nil, err
	}
	a := b.Attrs()
	delim := a.String("delimiter", "")
	maxsplit := -1
	if a.Has("maxsplit") {
		m := a.Int("maxsplit", 0)
		if m < 0 {
			return nil, b.Errorf("maxsplit %d is negative", m)
		}
		maxsplit = int(min(m, int64(1<<31-1)))
	}
	return func(c *Ctx, in []*ir.Tensor) error {
		x, xs, err := txtStrings(c, in, 0)
		if err != nil {
			return err
		}
		parts := make([][]string, len(xs))
		width := 0
		for i, s := range xs {
			if delim == "" {
				parts[i] = txtSplitSpace(s, maxsplit)
			} else {
				parts[i] = strings.SplitN(s, delim, txtSplitN(maxsplit))
			}
			width = max(width, len(parts[i]))
		}
		yshape := append(append([]int64{}, x.Shape...), int64(width))
		y, err := c.Output(0, ir.String, yshape)
		if err != nil {
			return err
		}
		z, err := c.OutputUninit(1, ir.Int64, x.Shape)
		if err != nil {
			return err
		}
		ys, zs := y.Data.([]string), z.I64()
		for i, p := range parts {
			copy(ys[i*width:], p)
			zs[i] = int64(len(p))
		}
		return nil
	}, nil
}

// txtSplitN converts maxsplit (-1: unlimited) to strings.SplitN's n.
func txtSplitN(maxsplit int) int {
	if maxsplit < 0 {
		return -1
	}
	return maxsplit + 1
}

// txtIsSpace is Python's str.isspace for one rune: Unicode White_Space
// plus the ASCII information separators U+001C..U+001F.
func txtIsSpace(r rune) bool {
	return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f)
}

// txtSplitSpace is Python's s.split(None, maxsplit).
func txtSplitSpace(s string, maxsplit int) []string {
	out := []string{}
	i := 0
	for {
		// Skip whitespace before the next field.
		for i < len(s) {
			r, n := utf8.DecodeRuneInString(s[i:])
			if !txtIsSpace(r) {
				break
			}
			i += n
		}
		if i >= len(s) {
			return out
		}
		if maxsplit >= 0 && len(out) == maxsplit {
			return append(out, s[i:])
		}
		j := i
		for j < len(s) {
			r, n := utf8.DecodeRuneInString(s[j:])
			if txtIsSpace(r) {
				break
			}
			j += n
		}
		out = append(out, s[i:j])
		i = j
	}
}

// buildRegexFullMatch: Y[i] = whether all of X[i] matches the RE2 pattern.
// Go's regexp implements RE2 syntax; the pattern is anchored at both ends.
func buildRegexFullMatch(b *Build) (Func, error) {
	if err := txtRequireString(b, 0); err != nil {
		return nil, err
	}
	if !b.Attrs().Has("pattern") {
		return nil, b.Errorf("attribute pattern is required")
	}
	pat := b.Attrs().String("pattern", "")
	re, err := regexp.Compile(`^(?:` + pat + `)$`)
	if err != nil {
		return nil, b.Errorf("pattern %q is not valid RE2: %v", pat, err)
	}
	return func(c *Ctx, in []*ir.Tensor) error {
		x, xs, err := txtStrings(c, in, 0)
		if err != nil {
			return err
		}
		y, err := c.OutputUninit(0, ir.Bool, x.Shape)
		if err != nil {
			return err
		}
		ys := ir.Data[bool](y)
		for i, s := range xs {
			ys[i] = re.MatchString(s)
		}
		return nil
	}, nil
}
