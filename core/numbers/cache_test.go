package numbers

import (
	"errors"
	"fmt"
	"sync"
	"testing"
)

func TestCacheSharesNormalizedForms(t *testing.T) {
	c := NewCache(8)
	a, err := c.Lookup("+86 139 1234 5678", "zh")
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.Lookup("139-1234-5678", "zh-CN")
	if err != nil {
		t.Fatal(err)
	}
	if a != b || a.Region != "江苏省常州市" {
		t.Fatalf("got %+v and %+v", a, b)
	}
	if c.Len() != 1 {
		t.Fatalf("Len = %d, want 1 (both forms are one number)", c.Len())
	}
	en, err := c.Lookup("13912345678", "en")
	if err != nil {
		t.Fatal(err)
	}
	if en.Region != "Changzhou, Jiangsu" || c.Len() != 2 {
		t.Fatalf("English entry %+v, Len %d", en, c.Len())
	}
}

func TestCacheIsBounded(t *testing.T) {
	c := NewCache(4)
	for i := range 20 {
		if _, err := c.Lookup(fmt.Sprintf("80%02d", i), "zh"); err != nil {
			t.Fatal(err)
		}
		if c.Len() > 4 {
			t.Fatalf("after %d lookups Len = %d > capacity 4", i+1, c.Len())
		}
	}
	if c.Len() != 4 {
		t.Fatalf("Len = %d, want 4", c.Len())
	}
}

func TestCacheDoesNotKeepErrors(t *testing.T) {
	c := NewCache(4)
	if _, err := c.Lookup("abc", "zh"); !errors.Is(err, ErrNotANumber) {
		t.Fatalf("err = %v", err)
	}
	if c.Len() != 0 {
		t.Fatalf("Len = %d after an error", c.Len())
	}
}

func TestCacheConcurrent(t *testing.T) {
	c := NewCache(16)
	numbers := []string{"13912345678", "02112345678", "95555", "8001", "+14155550100"}
	want := make(map[string]Info)
	for _, n := range numbers {
		info, err := LookupLang(n, "zh")
		if err != nil {
			t.Fatal(err)
		}
		want[n] = info
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				n := numbers[(g+i)%len(numbers)]
				got, err := c.Lookup(n, "zh")
				if err == nil && got != want[n] {
					err = fmt.Errorf("Lookup(%q) = %+v, want %+v", n, got, want[n])
				}
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
