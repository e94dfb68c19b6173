package runtime

import (
	"math"
	"math/rand"
	"os"
	"sort"
	"testing"
	"time"
)

// simulates the controller on synthetic Run times.
func TestZZSimController(t *testing.T) {
	if os.Getenv("NNCC_SIM") == "" {
		t.Skip()
	}
	type scen struct {
		name string
		// time of run i in arm x (µs), given whether the previous run was the same arm
		f func(rng *rand.Rand, i int, x parArm, cold bool) float64
	}
	ln := func(rng *rand.Rand, med, p90 float64) float64 {
		s := math.Log(p90/med) / 1.2816
		return med * math.Exp(rng.NormFloat64()*s)
	}
	sc := []scen{
		{"alone", func(r *rand.Rand, i int, x parArm, cold bool) float64 {
			if x == armParallel {
				v := ln(r, 63, 107)
				if cold {
					v += 30
				}
				return v
			}
			return ln(r, 81, 95)
		}},
		{"block10", func(r *rand.Rand, i int, x parArm, cold bool) float64 {
			if x == armParallel {
				if i%10 < 2 {
					return ln(r, 150, 300)
				}
				return ln(r, 63, 107)
			}
			return ln(r, 81, 95)
		}},
		{"alternate", func(r *rand.Rand, i int, x parArm, cold bool) float64 {
			if x == armParallel {
				return ln(r, 125, 250)
			}
			return ln(r, 87, 110)
		}},
		{"equal-noisy", func(r *rand.Rand, i int, x parArm, cold bool) float64 {
			if x == armParallel {
				return ln(r, 90, 200)
			}
			return ln(r, 90, 200)
		}},
	}
	for _, s := range sc {
		var meds, pars, fixP, fixS []float64
		for seed := range 200 {
			rng := rand.New(rand.NewSource(int64(seed)))
			a := newAdaptive()
			now := time.Duration(0)
			var ts, tp, tss []float64
			prev := armNone
			np := 0
			for i := range 2000 {
				x := a.pick(now)
				d := s.f(rng, i, x, prev != x && prev != armNone)
				prev = x
				if x == armParallel {
					np++
				}
				now += time.Duration(d * 1e3)
				a.record(x, time.Duration(d*1e3), now)
				ts = append(ts, d)
				tp = append(tp, s.f(rng, i, armParallel, false))
				tss = append(tss, s.f(rng, i, armSerial, false))
			}
			med := func(v []float64) float64 { sort.Float64s(v); return v[len(v)/2] }
			meds = append(meds, med(ts))
			fixP = append(fixP, med(tp))
			fixS = append(fixS, med(tss))
			pars = append(pars, float64(np)/2000)
		}
		sort.Float64s(meds)
		sort.Float64s(pars)
		t.Logf("%-12s adaptive median: p10 %.1f p50 %.1f p90 %.1f max %.1f | parallel share p10 %.2f p50 %.2f | fixed P %.1f S %.1f",
			s.name, meds[20], meds[100], meds[180], meds[199], pars[20], pars[100], avg(fixP), avg(fixS))
	}
}

func avg(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}
