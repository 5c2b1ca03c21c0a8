//! Rewriting ORDS `:name` bind variables in a handler's SQL source into Postgres positional
//! parameters (`$1`, `$2`, …), so that request values are always sent as bind parameters and
//! never spliced into SQL text.
//!
//! The scanner skips everything a bind can never be part of: `::` casts, single-quoted strings
//! (including `E'…'` escapes), double-quoted identifiers, dollar-quoted strings, `--` and
//! (nested) `/* */` comments. A bind is `:` followed by a letter or `_`, then letters, digits
//! or `_`, not preceded by another `:`. The same name always gets the same number.

/// The rewritten SQL and the bind names, in parameter order (`names[0]` is `$1`).
#[derive(Debug, PartialEq, Eq)]
pub struct Rewritten {
    pub sql: String,
    pub names: Vec<String>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum RewriteError {
    /// The source already uses `$n` positional parameters: they would collide with the binds.
    PositionalParameter,
    /// An unterminated quote or comment.
    Unterminated,
}

fn is_ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}
fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Rewrites `:name` binds into `$n`, starting the numbering at `first` (normally 1).
pub fn rewrite(source: &str, first: usize) -> Result<Rewritten, RewriteError> {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len() + 8);
    let mut names: Vec<String> = Vec::new();
    let mut i = 0;
    let n = chars.len();
    while i < n {
        let c = chars[i];
        match c {
            '\'' => {
                // E'...' strings allow backslash escapes.
                let escapes = i > 0
                    && (chars[i - 1] == 'E' || chars[i - 1] == 'e')
                    && (i < 2 || !is_ident_char(chars[i - 2]));
                out.push(c);
                i += 1;
                loop {
                    if i >= n {
                        return Err(RewriteError::Unterminated);
                    }
                    let d = chars[i];
                    out.push(d);
                    i += 1;
                    if escapes && d == '\\' {
                        if i < n {
                            out.push(chars[i]);
                            i += 1;
                        }
                        continue;
                    }
                    if d == '\'' {
                        if i < n && chars[i] == '\'' {
                            out.push('\'');
                            i += 1;
                            continue;
                        }
                        break;
                    }
                }
            }
            '"' => {
                out.push(c);
                i += 1;
                loop {
                    if i >= n {
                        return Err(RewriteError::Unterminated);
                    }
                    let d = chars[i];
                    out.push(d);
                    i += 1;
                    if d == '"' {
                        if i < n && chars[i] == '"' {
                            out.push('"');
                            i += 1;
                            continue;
                        }
                        break;
                    }
                }
            }
            '-' if i + 1 < n && chars[i + 1] == '-' => {
                while i < n && chars[i] != '\n' {
                    out.push(chars[i]);
                    i += 1;
                }
            }
            '/' if i + 1 < n && chars[i + 1] == '*' => {
                let mut depth = 0usize;
                loop {
                    if i >= n {
                        return Err(RewriteError::Unterminated);
                    }
                    if chars[i] == '/' && i + 1 < n && chars[i + 1] == '*' {
                        depth += 1;
                        out.push_str("/*");
                        i += 2;
                    } else if chars[i] == '*' && i + 1 < n && chars[i + 1] == '/' {
                        depth -= 1;
                        out.push_str("*/");
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        out.push(chars[i]);
                        i += 1;
                    }
                }
            }
            '$' => {
                // $n positional parameter, or $tag$ dollar quote, or part of an identifier.
                if i > 0 && is_ident_char(chars[i - 1]) {
                    out.push(c);
                    i += 1;
                    continue;
                }
                if i + 1 < n && chars[i + 1].is_ascii_digit() {
                    return Err(RewriteError::PositionalParameter);
                }
                let mut j = i + 1;
                while j < n && (is_ident_char(chars[j])) {
                    j += 1;
                }
                let tag_ok =
                    j < n && chars[j] == '$' && (j == i + 1 || is_ident_start(chars[i + 1]));
                if !tag_ok {
                    out.push(c);
                    i += 1;
                    continue;
                }
                let tag: String = chars[i..=j].iter().collect();
                out.push_str(&tag);
                i = j + 1;
                let tag_chars: Vec<char> = tag.chars().collect();
                loop {
                    if i >= n {
                        return Err(RewriteError::Unterminated);
                    }
                    if chars[i] == '$' && chars[i..].starts_with(&tag_chars) {
                        out.push_str(&tag);
                        i += tag_chars.len();
                        break;
                    }
                    out.push(chars[i]);
                    i += 1;
                }
            }
            ':' => {
                if i + 1 < n && chars[i + 1] == ':' {
                    out.push_str("::");
                    i += 2;
                    continue;
                }
                if i + 1 < n && is_ident_start(chars[i + 1]) {
                    let mut j = i + 1;
                    while j < n && is_ident_char(chars[j]) {
                        j += 1;
                    }
                    let name: String = chars[i + 1..j].iter().collect();
                    let idx = match names.iter().position(|x| *x == name) {
                        Some(p) => p,
                        None => {
                            names.push(name);
                            names.len() - 1
                        }
                    };
                    out.push('$');
                    out.push_str(&(first + idx).to_string());
                    i = j;
                    continue;
                }
                out.push(c);
                i += 1;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    Ok(Rewritten { sql: out, names })
}

/// A handler source ready to be wrapped in a sub-select: trailing whitespace and `;` removed.
pub fn trim_source(src: &str) -> &str {
    src.trim()
        .trim_end_matches(|c: char| c == ';' || c.is_whitespace())
}

/// A Postgres identifier, always double-quoted.
pub fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rw(s: &str) -> (String, Vec<String>) {
        let r = rewrite(s, 1).unwrap();
        (r.sql, r.names)
    }

    #[test]
    fn simple_bind() {
        assert_eq!(
            rw("select * from licenses where id = :id"),
            (
                "select * from licenses where id = $1".into(),
                vec!["id".into()]
            )
        );
    }

    #[test]
    fn repeated_binds_share_a_number() {
        assert_eq!(
            rw("select :a, :b, :a"),
            ("select $1, $2, $1".into(), vec!["a".into(), "b".into()])
        );
    }

    #[test]
    fn casts_strings_and_comments_are_untouched() {
        let src = "select :id::int, ':x', \"a:b\", E'\\':y', $$ :z $$, $t$ :w $t$ -- :c\n/* :d /* :e */ */ from t";
        let (sql, names) = rw(src);
        assert_eq!(
            sql,
            "select $1::int, ':x', \"a:b\", E'\\':y', $$ :z $$, $t$ :w $t$ -- :c\n/* :d /* :e */ */ from t"
        );
        assert_eq!(names, vec!["id".to_string()]);
    }

    #[test]
    fn numbering_offset() {
        assert_eq!(rewrite("x = :a", 3).unwrap().sql, "x = $3");
    }

    #[test]
    fn positional_parameters_are_refused() {
        assert_eq!(
            rewrite("select $1", 1),
            Err(RewriteError::PositionalParameter)
        );
    }

    #[test]
    fn unterminated_is_refused() {
        assert_eq!(rewrite("select ':x", 1), Err(RewriteError::Unterminated));
        assert_eq!(rewrite("select /* x", 1), Err(RewriteError::Unterminated));
    }

    #[test]
    fn no_bind_after_digit_or_colon_start() {
        assert_eq!(
            rw("select a[1:2], '12:30'::time, x:=1").0,
            "select a[1:2], '12:30'::time, x:=1"
        );
    }

    #[test]
    fn doubled_quotes_inside_strings() {
        assert_eq!(rw("select 'it''s :x', :y").0, "select 'it''s :x', $1");
    }

    #[test]
    fn trims_semicolons() {
        assert_eq!(trim_source(" select 1 ;\n; "), "select 1");
    }

    #[test]
    fn quotes_identifiers() {
        assert_eq!(quote_ident("pa\"ge"), "\"pa\"\"ge\"");
    }
}
