package numbers

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestLookup(t *testing.T) {
	cases := []struct {
		in   string
		lang string
		want Info
	}{
		// The brief's reference numbers.
		{"13912345678", "zh", Info{Number: "13912345678", Kind: Mobile, Country: "CN", Region: "江苏省常州市", Carrier: "中国移动"}},
		{"+86 139 1234 5678", "zh", Info{Number: "13912345678", Kind: Mobile, Country: "CN", Region: "江苏省常州市", Carrier: "中国移动"}},
		{"02112345678", "zh", Info{Number: "02112345678", Kind: FixedLine, Country: "CN", Region: "上海市"}},
		// English, where the library has it.
		{"13912345678", "en", Info{Number: "13912345678", Kind: Mobile, Country: "CN", Region: "Changzhou, Jiangsu", Carrier: "China Mobile"}},
		{"02112345678", "en-US", Info{Number: "02112345678", Kind: FixedLine, Country: "CN", Region: "Shanghai"}},
		// Other carriers and cities.
		{"18612345678", "zh", Info{Number: "18612345678", Kind: Mobile, Country: "CN", Region: "北京市", Carrier: "中国联通"}},
		{"17012345678", "zh", Info{Number: "17012345678", Kind: Mobile, Country: "CN", Carrier: "中国电信"}}, // only the country is known
		{"010-12345678", "zh", Info{Number: "01012345678", Kind: FixedLine, Country: "CN", Region: "北京市"}},
		{"+86 571 8888 8888", "zh", Info{Number: "057188888888", Kind: FixedLine, Country: "CN", Region: "浙江省杭州市"}},
		{"0755-1234 5678", "zh", Info{Number: "075512345678", Kind: FixedLine, Country: "CN", Region: "广东省深圳市"}},
		{"8888 8888", "zh", Info{Number: "88888888", Kind: FixedLine, Country: "CN"}},
		// Service numbers: no region even though a prefix would match an
		// area code (95555 would otherwise read as 宁夏中卫市, area 0955).
		{"95555", "zh", Info{Number: "95555", Kind: Service, Country: "CN"}},
		{"10086", "zh", Info{Number: "10086", Kind: Service, Country: "CN"}},
		{"12306", "zh", Info{Number: "12306", Kind: Service, Country: "CN"}},
		{"110", "zh", Info{Number: "110", Kind: Service, Country: "CN"}},
		{"114", "zh", Info{Number: "114", Kind: Service, Country: "CN"}},
		{"116114", "zh", Info{Number: "116114", Kind: Service, Country: "CN"}},
		{"400-810-8888", "zh", Info{Number: "4008108888", Kind: Service, Country: "CN"}},
		{"800-810-1234", "zh", Info{Number: "8008101234", Kind: Service, Country: "CN"}},
		// Extensions and codes.
		{"8001", "zh", Info{Number: "8001", Kind: Internal}},
		{"100", "zh", Info{Number: "100", Kind: Internal}},
		{"801", "zh", Info{Number: "801", Kind: Internal}},
		{"*8001#", "zh", Info{Number: "*8001#", Kind: Internal}},
		// Abroad.
		{"+1 (415) 555-0100", "en", Info{Number: "+14155550100", Kind: International, Country: "US", Region: "San Francisco, CA"}},
		{"+1 (415) 555-0100", "zh", Info{Number: "+14155550100", Kind: International, Country: "US", Region: "美国 San Francisco, CA"}},
		{"+44 20 7123 4567", "zh", Info{Number: "+442071234567", Kind: International, Country: "GB", Region: "英国 London"}},
		{"+852 2345 6789", "zh", Info{Number: "+85223456789", Kind: International, Country: "HK", Region: "中国香港特别行政区"}},
		{"+800 1234 5678", "zh", Info{Number: "+80012345678", Kind: International}},
		// Accepted but not recognised.
		{"9013912345678", "zh", Info{Number: "9013912345678", Kind: Unknown}},
		{"0123456789", "zh", Info{Number: "0123456789", Kind: Unknown, Country: "CN"}},
	}
	for _, tc := range cases {
		t.Run(tc.lang+"/"+tc.in, func(t *testing.T) {
			got, err := LookupLang(tc.in, tc.lang)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Fatalf("LookupLang(%q, %q)\n got %+v\nwant %+v", tc.in, tc.lang, got, tc.want)
			}
		})
	}
}

func TestLookupIsChinese(t *testing.T) {
	got, err := Lookup("13912345678")
	if err != nil {
		t.Fatal(err)
	}
	if got.Region != "江苏省常州市" || got.Carrier != "中国移动" {
		t.Fatalf("Lookup = %+v", got)
	}
}

func TestLookupRefusesWhatNormalizeRefuses(t *testing.T) {
	for _, in := range []string{"", "abc", "sip:8001@pbx", "++1"} {
		info, err := Lookup(in)
		var ie *InputError
		if !errors.As(err, &ie) {
			t.Fatalf("Lookup(%q) = %+v, %v; want an *InputError", in, info, err)
		}
		if info != (Info{}) {
			t.Fatalf("Lookup(%q) returned %+v with an error", in, info)
		}
	}
}

// The cold-load test runs in a child process: in this one the library's
// data may already be loaded by other tests.
const coldChildEnv = "NUMBERS_COLD_LOOKUP_CHILD"

// TestColdLookupChild is the child's body; without the variable it has
// nothing to do.
func TestColdLookupChild(t *testing.T) {
	if os.Getenv(coldChildEnv) == "" {
		t.Skip("runs only as the child of TestColdLookup")
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	info, err := Lookup("13912345678")
	elapsed := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	fmt.Printf("cold-result region=%s carrier=%s ns=%d heap=%d\n",
		info.Region, info.Carrier, elapsed.Nanoseconds(), int64(after.HeapAlloc)-int64(before.HeapAlloc))
}

type coldResult struct {
	region, carrier string
	elapsed         time.Duration
	heapBytes       int64
}

func runColdLookup(tb testing.TB) coldResult {
	tb.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestColdLookupChild$", "-test.count=1", "-test.v=false")
	cmd.Env = append(os.Environ(), coldChildEnv+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		tb.Fatalf("child: %v\n%s", err, out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		rest, ok := strings.CutPrefix(line, "cold-result ")
		if !ok {
			continue
		}
		var r coldResult
		for _, field := range strings.Fields(rest) {
			k, v, _ := strings.Cut(field, "=")
			switch k {
			case "region":
				r.region = v
			case "carrier":
				r.carrier = v
			case "ns":
				n, _ := strconv.ParseInt(v, 10, 64)
				r.elapsed = time.Duration(n)
			case "heap":
				r.heapBytes, _ = strconv.ParseInt(v, 10, 64)
			}
		}
		return r
	}
	tb.Fatalf("child printed no result:\n%s", out)
	return coldResult{}
}

// TestColdLookup checks the first lookup in a fresh process: right answer,
// bounded time, and only the Chinese data loaded (the English geocoding
// file alone costs about 15 MB of heap).
func TestColdLookup(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns a child process")
	}
	r := runColdLookup(t)
	t.Logf("cold Chinese lookup: %v, heap +%.1f MB", r.elapsed, float64(r.heapBytes)/1e6)
	if r.region != "江苏省常州市" || r.carrier != "中国移动" {
		t.Fatalf("cold lookup gave %q %q", r.region, r.carrier)
	}
	if r.elapsed > 5*time.Second {
		t.Fatalf("cold lookup took %v", r.elapsed)
	}
	if r.heapBytes > 12<<20 {
		t.Fatalf("cold Chinese lookup grew the heap by %d bytes; is the English data being loaded?", r.heapBytes)
	}
}

func BenchmarkColdLookup(b *testing.B) {
	var total time.Duration
	var heap int64
	for b.Loop() {
		r := runColdLookup(b)
		total += r.elapsed
		heap = r.heapBytes
	}
	b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "first-lookup-ms")
	b.ReportMetric(float64(heap)/1e6, "heap-MB")
}

func BenchmarkLookup(b *testing.B) {
	Preload("zh")
	inputs := []string{"13912345678", "02112345678", "+14155550100", "95555", "8001"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := Lookup(inputs[i%len(inputs)]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCacheLookup(b *testing.B) {
	c := NewCache(0)
	inputs := []string{"13912345678", "02112345678", "+14155550100", "95555", "8001"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := c.Lookup(inputs[i%len(inputs)], "zh"); err != nil {
			b.Fatal(err)
		}
	}
}
