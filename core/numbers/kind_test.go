package numbers

import "testing"

func TestKindNames(t *testing.T) {
	cases := []struct {
		kind   Kind
		name   string
		zh, en string
	}{
		{Unknown, "unknown", "未知号码", "Unknown"},
		{Mobile, "mobile", "手机", "Mobile"},
		{FixedLine, "fixed-line", "固话", "Landline"},
		{Service, "service", "服务号码", "Service number"},
		{Internal, "internal", "内部分机", "Extension"},
		{International, "international", "国际号码", "International"},
		{Kind(99), "unknown", "未知号码", "Unknown"},
		{Kind(-1), "unknown", "未知号码", "Unknown"},
	}
	for _, tc := range cases {
		if got := tc.kind.String(); got != tc.name {
			t.Errorf("Kind(%d).String() = %q, want %q", int(tc.kind), got, tc.name)
		}
		if got := tc.kind.Label("zh"); got != tc.zh {
			t.Errorf("Kind(%d).Label(zh) = %q, want %q", int(tc.kind), got, tc.zh)
		}
		if got := tc.kind.Label("en"); got != tc.en {
			t.Errorf("Kind(%d).Label(en) = %q, want %q", int(tc.kind), got, tc.en)
		}
	}
}
