//! `-o logfmt`: `key=value` pairs, values quoted when they need it.

use super::Item;
use crate::record::{Role, RoleMap};
use std::io::{self, Write};

fn quote(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_graphic() && c != '"' && c != '=' && c != '\\');
    if plain {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_default()
    }
}

pub(super) fn print(w: &mut dyn Write, item: &Item, roles: &RoleMap) -> io::Result<()> {
    let rec = item.rec;
    let mut parts: Vec<String> = Vec::new();
    if item.is_invalid {
        parts.push(format!(
            "unparsed={}",
            quote(&String::from_utf8_lossy(item.raw))
        ));
    } else {
        if let Some(t) = rec.time(roles) {
            parts.push(format!("time={}", t.to_rfc3339()));
        }
        if let Some(l) = rec.level(roles) {
            parts.push(format!("level={}", l.as_str().to_ascii_lowercase()));
        }
        for (key, role) in [
            ("module", Role::Module),
            ("msg", Role::Message),
            ("cid", Role::Cid),
            ("service", Role::Service),
        ] {
            if let Some(v) = rec.role_text(role, roles) {
                parts.push(format!("{key}={}", quote(&v)));
            }
        }
        for (k, v) in rec.extra_fields(roles) {
            let value = match v.as_str() {
                Some(s) => quote(&s),
                None => quote(&v.to_value().to_string()),
            };
            parts.push(format!("{}={value}", quote(&k)));
        }
    }
    w.write_all(parts.join(" ").as_bytes())?;
    w.write_all(b"\n")
}
