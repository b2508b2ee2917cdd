package logging

import (
	"fmt"
	"strings"
	"sync"
	"testing"
)

func TestRedactorMasksRegisteredSecrets(t *testing.T) {
	const pw = "p@ss w0rd<&>\"!"
	r := NewRedactor()
	r.AddSecret(pw)
	r.AddSecret("tok-3f9a2b7c")
	tests := []struct {
		name, in, want string
	}{
		{"prose", "login with " + pw + " failed", "login with [redacted] failed"},
		{"query-escaped", "u=8001&x=p%40ss+w0rd%3C%26%3E%22%21", "u=8001&x=[redacted]"},
		{"path-escaped", "/auth/p@ss%20w0rd%3C&%3E%22%21/x", "/auth/[redacted]/x"},
		{"json-escaped", `{"x":"p@ss w0rd\u003c\u0026\u003e\"!"}`, `{"x":"[redacted]"}`},
		{"json-escaped, no html escaping", `{"x":"p@ss w0rd<&>\"!"}`, `{"x":"[redacted]"}`},
		{"token twice", "tok-3f9a2b7c,tok-3f9a2b7c", "[redacted],[redacted]"},
		{"token inside a word", "xtok-3f9a2b7cx", "x[redacted]x"},
		{"nothing registered appears", "hello 8001", "hello 8001"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := r.Scrub(tt.in); got != tt.want {
				t.Errorf("Scrub(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestRedactorRefusesUselessSecrets(t *testing.T) {
	r := NewRedactor()
	r.AddSecret("")
	r.AddSecret("abc")        // shorter than MinSecretLen: would mask ordinary text
	r.AddSecret("dact")       // inside "[redacted]": masking could never finish
	r.AddSecret("[redacted]") // the mask itself
	if g := r.generation(); g != 0 {
		t.Fatalf("generation = %d after only refused secrets, want 0", g)
	}
	if got := r.Scrub("abc dact"); got != "abc dact" {
		t.Errorf("Scrub = %q", got)
	}
	r.AddSecret("abcd")
	r.AddSecret("abcd") // twice: one entry
	if g := r.generation(); g != 1 {
		t.Errorf("generation = %d, want 1", g)
	}
}

func TestRedactorOverlappingAndNestedSecrets(t *testing.T) {
	r := NewRedactor()
	r.AddSecret("aaaa")
	r.AddSecret("secret-token-long")
	r.AddSecret("token-lo")
	tests := []struct{ in, want string }{
		{"xaaaaaay", "x[redacted]y"},            // overlapping occurrences: one mask
		{"=secret-token-long=", "=[redacted]="}, // the longer secret wins
		{"token-lo and secret-token-long", "[redacted] and [redacted]"},
	}
	for _, tt := range tests {
		if got := r.Scrub(tt.in); got != tt.want {
			t.Errorf("Scrub(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// A secret that overlaps the mask text could be recreated by masking; the
// Redactor must still never return it.
func TestRedactorSecretOverlappingMask(t *testing.T) {
	for _, secret := range []string{"]xyzw", "d]xy", "ab[re", "]]]]"} {
		r := NewRedactor()
		r.AddSecret(secret)
		for _, in := range []string{secret + "xyzw", "d" + secret, secret + secret, "password=" + secret + "d]xy"} {
			if got := r.Scrub(in); strings.Contains(got, secret) {
				t.Errorf("secret %q: Scrub(%q) = %q still contains it", secret, in, got)
			}
		}
	}
}

func TestRedactorForgetsOldestBeyondMaxSecrets(t *testing.T) {
	r := NewRedactor()
	for i := range MaxSecrets + 1 {
		r.AddSecret(fmt.Sprintf("token-%04d", i))
	}
	if got := r.Scrub("token-0000"); got != "token-0000" {
		t.Errorf("oldest secret still masked: %q", got)
	}
	if got := r.Scrub(fmt.Sprintf("token-%04d", MaxSecrets)); got != Mask {
		t.Errorf("newest secret not masked: %q", got)
	}
}

func TestZeroRedactorUsable(t *testing.T) {
	var r Redactor
	if got := r.Scrub("password=x"); got != "password=[redacted]" {
		t.Errorf("Scrub = %q", got)
	}
	r.AddSecret("hunter22")
	if got := r.Scrub("is hunter22"); got != "is [redacted]" {
		t.Errorf("Scrub = %q", got)
	}
}

func TestRedactorConcurrentUse(t *testing.T) {
	r := NewRedactor()
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for i := range 15 { // 4×15 < MaxSecrets: none forgotten
				r.AddSecret(fmt.Sprintf("secret-%d-%d", g, i))
			}
		}()
		go func() {
			defer wg.Done()
			for i := range 200 {
				s := fmt.Sprintf("value secret-%d-%d and password=%d", g, i, i)
				if got := r.Scrub(s); strings.Contains(got, "password="+fmt.Sprint(i)) {
					t.Errorf("pattern not applied: %q", got)
					return
				}
			}
		}()
	}
	wg.Wait()
	// Every secret added before this point is masked now.
	for g := range 4 {
		for i := range 15 {
			if s := fmt.Sprintf("secret-%d-%d", g, i); r.Scrub(s) != Mask {
				t.Errorf("%s not masked after concurrent adds", s)
			}
		}
	}
}

func TestScrubNoAllocWithSecretsWhenClean(t *testing.T) {
	r := NewRedactor()
	r.AddSecret("hunter2!")
	r.AddSecret("eyJhbGciOiJIUzI1NiJ9.tok")
	s := "call 13912345678 from queue sales answered, duration 35s"
	if n := testing.AllocsPerRun(100, func() { _ = r.Scrub(s) }); n != 0 {
		t.Errorf("allocations = %v, want 0", n)
	}
}
