// Package numbers turns what an agent pastes into a dial string and tells
// where a number is from.
//
// # Normalize
//
// Normalize accepts the forms numbers take in CRMs, spreadsheets, e-mails and
// web pages: spaces, dashes, dots, slashes and brackets (ASCII and
// full-width), full-width digits (１３９…), a "tel:"/"callto:" scheme or a
// label such as "手机：", quotes and trailing punctuation. Its output is one
// of three canonical forms, chosen so that every platform adapter can dial it
// without guessing:
//
//   - Chinese numbers in domestic form, digits only: mobiles as 11 digits
//     (+86 139 1234 5678, 0086…, 86 13912345678 → 13912345678), fixed lines
//     with their leading 0 and area code (+86 10 12345678, (010) 1234-5678 →
//     01012345678), service numbers as written (95555, 4008123123), and
//     extensions and short codes of 3 to 6 digits (8001).
//   - Numbers outside China in E.164 form, "+" then the country code
//     (+1 (415) 555-0100 and 001 415 555 0100 → +14155550100; a "(0)" trunk
//     prefix after the country code is dropped). An adapter whose trunk wants
//     "00" replaces the "+" itself.
//   - Feature and short codes that contain "*" or "#" (*72, #31#, *8001#),
//     at most 12 characters, never with a country code.
//
// A SIP URI ("sip:8001@pbx", "8001@10.0.0.1") is not a number: Normalize
// returns an *InputError matching ErrSIPURI so that the dialer can send it
// down its SIP-address path instead.
//
// Normalize is idempotent: Normalize of its own output returns that output.
// Every failure is an *InputError that wraps one of the sentinels in
// errors.go and carries a sentence for the agent (Sentence("zh"|"en")).
//
// # Lookup
//
// Lookup and LookupLang classify a number (Kind) and find its place and
// carrier in the offline data of github.com/nyaruka/phonenumbers
// (13912345678 → 江苏省常州市, 中国移动). That data is loaded lazily by the
// library on first use: about 70–130 ms and 7 MB of heap for Chinese, about
// 175 ms and 15 MB more for English (see BenchmarkColdLookup). The library
// falls back to its English data whenever the Chinese data has no entry, so
// the first Chinese lookup of a foreign number loads the English data too.
// Call Preload in the
// background at start-up so that the first incoming-call popup does not wait
// for it, and keep a Cache for repeated lookups.
package numbers
