package core

import (
	"errors"
	"strings"
	"testing"
)

func sampleInfo() Info {
	return Info{
		ID: "demo", Name: Text{ZH: "演示", EN: "Demo"},
		New: func(Config) (Vendor, error) { return nil, nil },
		Fields: []Field{
			{Key: "uri", Kind: FieldText, Required: true},
			{Key: "transport", Kind: FieldChoice, Default: "udp", Choices: []Choice{{Value: "udp"}, {Value: "tcp"}}},
			{Key: "expiry", Kind: FieldNumber},
			{Key: "register", Kind: FieldBool, Default: "true"},
			{Key: "socket", Kind: FieldURL, Schemes: []string{"wss"}},
			{Key: "password", Kind: FieldSecret},
		},
	}
}

func TestRegistry(t *testing.T) {
	r := NewRegistry()
	r.Register(sampleInfo())
	if _, ok := r.Lookup("demo"); !ok {
		t.Fatal("lookup")
	}
	defer func() {
		if recover() == nil {
			t.Error("duplicate Register did not panic")
		}
	}()
	r.Register(sampleInfo())
}

func TestRegistryRejectsMalformedInfo(t *testing.T) {
	for name, info := range map[string]Info{
		"no id":         {New: sampleInfo().New},
		"no New":        {ID: "x"},
		"dup field":     {ID: "x", New: sampleInfo().New, Fields: []Field{{Key: "a"}, {Key: "a"}}},
		"empty choices": {ID: "x", New: sampleInfo().New, Fields: []Field{{Key: "a", Kind: FieldChoice}}},
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			NewRegistry().Register(info)
		})
	}
}

// TestSecretFields: the first secret field is the password, the others are
// extra secrets, and none of them may be written in the account's fields.
func TestSecretFields(t *testing.T) {
	info := Info{ID: "x", New: sampleInfo().New, Fields: []Field{
		{Key: "host"}, {Key: "pwd", Kind: FieldSecret}, {Key: "key", Kind: FieldSecret}, {Key: "salt", Kind: FieldSecret},
	}}
	NewRegistry().Register(info)
	if f, ok := info.SecretField(); !ok || f.Key != "pwd" {
		t.Errorf("password field %+v", f)
	}
	var extra []string
	for _, f := range info.ExtraSecretFields() {
		extra = append(extra, f.Key)
	}
	if strings.Join(extra, ",") != "key,salt" {
		t.Errorf("extra secrets %v", extra)
	}
	if _, err := info.ValidateFields(map[string]string{"host": "h", "key": "k"}); err == nil {
		t.Error("an extra secret was accepted as a field")
	}
}

func TestValidateFields(t *testing.T) {
	info := sampleInfo()
	got, err := info.ValidateFields(map[string]string{"uri": "sip:1001@pbx"})
	if err != nil {
		t.Fatal(err)
	}
	if got["transport"] != "udp" || got["register"] != "true" {
		t.Errorf("defaults not applied: %v", got)
	}
	tests := []struct {
		fields map[string]string
		key    string
		msg    string
	}{
		{map[string]string{}, "uri", "required"},
		{map[string]string{"uri": "x", "colour": "red"}, "colour", "unknown field"},
		{map[string]string{"uri": "x", "transport": "sctp"}, "transport", "must be one of udp, tcp"},
		{map[string]string{"uri": "x", "expiry": "soon"}, "expiry", "whole number"},
		{map[string]string{"uri": "x", "register": "maybe"}, "register", "true or false"},
		{map[string]string{"uri": "x", "socket": "ws://h/ws"}, "socket", "scheme must be one of wss"},
		{map[string]string{"uri": "x", "socket": "h"}, "socket", "full URL"},
		{map[string]string{"uri": "x", "password": "s3cret"}, "password", "keyring"},
	}
	for _, tt := range tests {
		_, err := info.ValidateFields(tt.fields)
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Key != tt.key || !strings.Contains(fe.Problem, tt.msg) {
			t.Errorf("%v: err %v, want field %s %q", tt.fields, err, tt.key, tt.msg)
			continue
		}
		if !errors.Is(err, ErrInvalidArgument) || !strings.Contains(fe.Sentence("zh"), tt.key) {
			t.Errorf("%v: sentence %q", tt.fields, fe.Sentence("zh"))
		}
	}
	if f, ok := info.SecretField(); !ok || f.Key != "password" {
		t.Error("SecretField")
	}
}
