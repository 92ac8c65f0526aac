//! The bytes a JSON pin stores.
//!
//! Pinata is a Node service: the emulator takes it that it pins
//! `pinataContent` as `JSON.stringify(JSON.parse(body).pinataContent)` prints
//! it (emulator README, "Decisions"). This writer follows the ECMAScript
//! rules for that output rather than any Rust serializer's:
//!
//! - no whitespace;
//! - object keys that are array indices (`"0"`, `"17"`, not `"01"`) come
//!   first in ascending numeric order, then the other keys in the order they
//!   were first written (a repeated key keeps its first place, last value);
//! - every number is an IEEE double printed as `Number.prototype.toString`
//!   does: `1.0` → `1`, `1e21` → `1e+21`, `0.0000001` → `1e-7`,
//!   `12345678901234567890` → `12345678901234567000`, `-0` → `0`;
//! - strings escape only `"`, `\` and U+0000–U+001F (`\b \t \n \f \r` short,
//!   the rest as lowercase `\u00xx`); everything else is written as is.

use std::collections::HashMap;

/// A parsed JSON value as JavaScript holds it: every number a double, object
/// members in their first-written order.
enum Js {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<Js>),
    Obj(Vec<(String, Js)>),
}

/// The bytes a `pinJSONToIPFS` request body pins: its `pinataContent` member
/// when it has one, else the whole body, printed as `JSON.stringify` prints
/// it. `None` when the body is not JSON this reader understands (the handler
/// has already validated it, so that means a bug or a lone surrogate).
pub fn pinned_bytes(body: &[u8]) -> Option<Vec<u8>> {
    let mut r = Reader { s: body, at: 0 };
    r.ws();
    // Express reads an empty body as `{}`.
    let doc = if r.at == body.len() {
        Js::Obj(Vec::new())
    } else {
        let v = r.value(0)?;
        r.ws();
        (r.at == body.len()).then_some(v)?
    };
    let content = match doc {
        Js::Obj(members) if members.iter().any(|(k, _)| k == "pinataContent") => members
            .into_iter()
            .find(|(k, _)| k == "pinataContent")
            .map(|(_, v)| v)?,
        other => other,
    };
    let mut out = String::new();
    write_value(&mut out, &content);
    Some(out.into_bytes())
}

/// `JSON.stringify(JSON.parse(text))`, for tests.
#[cfg(test)]
fn stringify(text: &str) -> Option<String> {
    let mut r = Reader {
        s: text.as_bytes(),
        at: 0,
    };
    r.ws();
    let v = r.value(0)?;
    r.ws();
    if r.at != text.len() {
        return None;
    }
    let mut out = String::new();
    write_value(&mut out, &v);
    Some(out)
}

/// Deepest nesting read (serde_json, which validated the body first, stops at 128).
const MAX_DEPTH: usize = 256;

/// A recursive-descent JSON reader (RFC 8259) with `JSON.parse` semantics.
struct Reader<'a> {
    s: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn ws(&mut self) {
        while matches!(self.s.get(self.at), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn eat(&mut self, b: u8) -> Option<()> {
        (self.s.get(self.at) == Some(&b)).then(|| self.at += 1)
    }

    fn literal(&mut self, word: &str, v: Js) -> Option<Js> {
        self.s[self.at..].starts_with(word.as_bytes()).then(|| {
            self.at += word.len();
            v
        })
    }

    fn value(&mut self, depth: usize) -> Option<Js> {
        if depth > MAX_DEPTH {
            return None;
        }
        match *self.s.get(self.at)? {
            b'n' => self.literal("null", Js::Null),
            b't' => self.literal("true", Js::Bool(true)),
            b'f' => self.literal("false", Js::Bool(false)),
            b'"' => self.string().map(Js::Str),
            b'[' => {
                self.at += 1;
                let mut items = Vec::new();
                self.ws();
                if self.eat(b']').is_some() {
                    return Some(Js::Arr(items));
                }
                loop {
                    self.ws();
                    items.push(self.value(depth + 1)?);
                    self.ws();
                    if self.eat(b']').is_some() {
                        return Some(Js::Arr(items));
                    }
                    self.eat(b',')?;
                }
            }
            b'{' => {
                self.at += 1;
                let mut members: Vec<(String, Js)> = Vec::new();
                let mut index: HashMap<String, usize> = HashMap::new();
                self.ws();
                if self.eat(b'}').is_some() {
                    return Some(Js::Obj(members));
                }
                loop {
                    self.ws();
                    let key = self.string()?;
                    self.ws();
                    self.eat(b':')?;
                    self.ws();
                    let v = self.value(depth + 1)?;
                    // A repeated key keeps its first place and takes the last value.
                    match index.get(&key) {
                        Some(&i) => members[i].1 = v,
                        None => {
                            index.insert(key.clone(), members.len());
                            members.push((key, v));
                        }
                    }
                    self.ws();
                    if self.eat(b'}').is_some() {
                        return Some(Js::Obj(members));
                    }
                    self.eat(b',')?;
                }
            }
            _ => self.number(),
        }
    }

    fn number(&mut self) -> Option<Js> {
        let start = self.at;
        let digits = |r: &mut Self| {
            let from = r.at;
            while r.s.get(r.at).is_some_and(u8::is_ascii_digit) {
                r.at += 1;
            }
            r.at > from
        };
        let _ = self.eat(b'-');
        if self.eat(b'0').is_none() && !digits(self) {
            return None;
        }
        if self.eat(b'.').is_some() && !digits(self) {
            return None;
        }
        if matches!(self.s.get(self.at), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.s.get(self.at), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if !digits(self) {
                return None;
            }
        }
        // Rust's float parsing rounds correctly, as JSON.parse does.
        let text = std::str::from_utf8(&self.s[start..self.at]).ok()?;
        text.parse::<f64>().ok().map(Js::Num)
    }

    fn hex4(&mut self) -> Option<u32> {
        let h = self.s.get(self.at..self.at + 4)?;
        self.at += 4;
        u32::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok()
    }

    fn string(&mut self) -> Option<String> {
        self.eat(b'"')?;
        let mut out = Vec::new();
        loop {
            let b = *self.s.get(self.at)?;
            self.at += 1;
            match b {
                b'"' => return String::from_utf8(out).ok(),
                b'\\' => {
                    let e = *self.s.get(self.at)?;
                    self.at += 1;
                    let c = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let hi = self.hex4()?;
                            let code = if (0xd800..0xdc00).contains(&hi) {
                                // A surrogate pair; a lone surrogate cannot be a Rust char.
                                self.eat(b'\\')?;
                                self.eat(b'u')?;
                                let lo = self.hex4()?;
                                if !(0xdc00..0xe000).contains(&lo) {
                                    return None;
                                }
                                0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00)
                            } else {
                                hi
                            };
                            char::from_u32(code)?
                        }
                        _ => return None,
                    };
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
                0x00..=0x1f => return None,
                _ => out.push(b),
            }
        }
    }
}

fn write_value(out: &mut String, v: &Js) {
    match v {
        Js::Null => out.push_str("null"),
        Js::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Js::Num(x) => write_number(out, *x),
        Js::Str(s) => write_string(out, s),
        Js::Arr(a) => {
            out.push('[');
            for (i, item) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item);
            }
            out.push(']');
        }
        Js::Obj(m) => write_object(out, m),
    }
}

/// The value of `key` as an array index (`ToString(ToUint32(key)) == key`,
/// below 2³² − 1), which JavaScript objects list before their other keys.
fn array_index(key: &str) -> Option<u32> {
    let canonical = key == "0" || (!key.starts_with('0') && !key.is_empty());
    if !canonical || !key.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    key.parse::<u32>().ok().filter(|n| *n != u32::MAX)
}

fn write_object(out: &mut String, m: &[(String, Js)]) {
    let mut indexed: Vec<(u32, &String, &Js)> = Vec::new();
    let mut named: Vec<(&String, &Js)> = Vec::new();
    for (k, v) in m {
        match array_index(k) {
            Some(i) => indexed.push((i, k, v)),
            None => named.push((k, v)),
        }
    }
    indexed.sort_by_key(|(i, _, _)| *i);
    out.push('{');
    let all = indexed.iter().map(|(_, k, v)| (*k, *v)).chain(named);
    for (n, (k, v)) in all.enumerate() {
        if n > 0 {
            out.push(',');
        }
        write_string(out, k);
        out.push(':');
        write_value(out, v);
    }
    out.push('}');
}

fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// ECMAScript `Number::toString(x)` (radix 10).
fn write_number(out: &mut String, x: f64) {
    if !x.is_finite() {
        // JSON.stringify writes NaN and the infinities as null.
        out.push_str("null");
        return;
    }
    if x == 0.0 {
        out.push('0'); // -0 too
        return;
    }
    if x < 0.0 {
        out.push('-');
    }
    // The shortest digits that read back as x: "d.ddde±x" = 0.dddd × 10^n.
    let sci = format!("{:e}", x.abs());
    let (mantissa, exp) = sci.split_once('e').expect("{:e} always has an exponent");
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let k = digits.len() as i32;
    let n = exp.parse::<i32>().expect("integer exponent") + 1;
    if k <= n && n <= 21 {
        out.push_str(&digits);
        out.extend(std::iter::repeat_n('0', (n - k) as usize));
    } else if 0 < n && n <= 21 {
        out.push_str(&digits[..n as usize]);
        out.push('.');
        out.push_str(&digits[n as usize..]);
    } else if -6 < n && n <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-n) as usize));
        out.push_str(&digits);
    } else {
        out.push_str(&digits[..1]);
        if k > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        let e = n - 1;
        out.push('e');
        out.push(if e >= 0 { '+' } else { '-' });
        out.push_str(&e.abs().to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn js(text: &str) -> String {
        stringify(text).unwrap()
    }

    #[test]
    fn like_json_stringify() {
        // Each expected string is what Node 20 prints for
        // JSON.stringify(JSON.parse(input)).
        for (input, expected) in [
            (r#" { "b" : 1 , "a" : [ 1 , 2 ] } "#, r#"{"b":1,"a":[1,2]}"#),
            (r#"{"b":1,"2":2,"a":3,"1":4,"01":5,"-1":6}"#, r#"{"1":4,"2":2,"b":1,"a":3,"01":5,"-1":6}"#),
            (r#"{"4294967295":1,"4294967294":2}"#, r#"{"4294967294":2,"4294967295":1}"#),
            (r#"{"a":1,"b":2,"a":3}"#, r#"{"a":3,"b":2}"#),
            ("[1.0,-0,0.5,1e21,1e20,1.5e-7,0.000001,123456789012345678901,12345678901234567890]",
             "[1,0,0.5,1e+21,100000000000000000000,1.5e-7,0.000001,123456789012345680000,12345678901234567000]"),
            ("[-1.25e-10,2.5E+3,9007199254740993,0.1,100]", "[-1.25e-10,2500,9007199254740992,0.1,100]"),
            (r#""\u0000\u001f\b\t\n\f\r\"\\\/\u007f\u2028é😀""#, "\"\\u0000\\u001f\\b\\t\\n\\f\\r\\\"\\\\/\u{7f}\u{2028}é😀\""),
            ("{}", "{}"),
            ("[]", "[]"),
            ("[true,false,null]", "[true,false,null]"),
            (r#""\ud83d\ude00\u00e9""#, "\"😀é\""),
        ] {
            assert_eq!(js(input), expected, "{input}");
        }
    }

    #[test]
    fn pinned_member_or_whole_body() {
        let p = |b: &str| String::from_utf8(pinned_bytes(b.as_bytes()).unwrap()).unwrap();
        assert_eq!(
            p(r#"{"pinataContent": {"x": [1, 2.50]}, "pinataMetadata": {}}"#),
            r#"{"x":[1,2.5]}"#
        );
        assert_eq!(p(r#"{"pinataContent": null}"#), "null");
        assert_eq!(
            p(r#"{"pinataContent": 1, "pinataContent": "last"}"#),
            r#""last""#
        );
        assert_eq!(p(r#" {"just": "content"} "#), r#"{"just":"content"}"#);
        assert_eq!(p(r#"[{"pinataContent": 1}]"#), r#"[{"pinataContent":1}]"#);
        assert_eq!(p("  "), "{}");
        for bad in [
            r#"{"a":1"#,
            r#"{"a":01}"#,
            r#"["\ud800"]"#,
            "[1,]",
            r#"{"a":1}x"#,
        ] {
            assert!(pinned_bytes(bad.as_bytes()).is_none(), "{bad}");
        }
    }
}
