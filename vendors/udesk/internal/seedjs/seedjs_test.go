package seedjs

import (
	"errors"
	"testing"
)

func TestToJSON(t *testing.T) {
	cases := []struct {
		name, in, want string
	}{
		{"bare keys", `{Code: "0000", Data: null}`, "{\n  \"Code\": \"0000\",\n  \"Data\": null\n}\n"},
		{"missing comma at line end", "{A: \"x\"\n B: 1}", "{\n  \"A\": \"x\",\n  \"B\": 1\n}\n"},
		{"array then key", "{Data: [\"a\", \"b\"]\n Message: \"\"}", "{\n  \"Data\": [\n    \"a\",\n    \"b\"\n  ],\n  \"Message\": \"\"\n}\n"},
		{"trailing commas", `{A: [{id: 1,},], }`, "{\n  \"A\": [\n    {\n      \"id\": 1\n    }\n  ]\n}\n"},
		{"undefined and typo", `{A: undefined, B: fasle}`, "{\n  \"A\": null,\n  \"B\": false\n}\n"},
		{"hash comment", "{A: {T: \"1\"}, #主叫信息\n B: 'x'}", "{\n  \"A\": {\n    \"T\": \"1\"\n  },\n  \"B\": \"x\"\n}\n"},
		{"empty object with blank lines", "{Data: {\n\n}}", "{\n  \"Data\": {}\n}\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ToJSON(c.in)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != c.want {
				t.Fatalf("got\n%s\nwant\n%s", got, c.want)
			}
		})
	}
}

func TestToJSONRefuses(t *testing.T) {
	for _, in := range []string{`{A: "open}`, `{A: nope}`, `{A: @}`, `{A: 1`} {
		if _, err := ToJSON(in); !errors.Is(err, ErrSyntax) {
			t.Errorf("%q: err %v, want ErrSyntax", in, err)
		}
	}
}
