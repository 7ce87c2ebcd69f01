//! The model's HTML documentation as Markdown lines for rustdoc.
//!
//! Text is escaped so rustdoc sees no stray HTML tags, intra-doc links or
//! code blocks, and bare URLs become autolinks, which keeps `cargo doc` free of
//! warnings on any model.

/// Converts botocore HTML documentation to Markdown, one string per line.
pub fn to_markdown(html: &str) -> Vec<String> {
    let mut writer = Writer::default();
    for token in tokenize(html) {
        writer.token(token);
    }
    writer.finish()
}

#[derive(Debug, PartialEq)]
enum Token<'a> {
    Text(&'a str),
    Open {
        name: String,
        href: Option<String>,
    },
    Close(String),
    /// `<br/>` and other self-closing tags.
    Empty(String),
}

fn tokenize(html: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut rest = html;
    while !rest.is_empty() {
        match rest.find('<') {
            Some(0) => match rest.find('>') {
                Some(end) => {
                    tokens.push(tag(&rest[1..end]));
                    rest = &rest[end + 1..];
                }
                None => {
                    tokens.push(Token::Text(rest));
                    rest = "";
                }
            },
            Some(start) => {
                tokens.push(Token::Text(&rest[..start]));
                rest = &rest[start..];
            }
            None => {
                tokens.push(Token::Text(rest));
                rest = "";
            }
        }
    }
    tokens
}

fn tag(inner: &str) -> Token<'static> {
    let inner = inner.trim();
    if let Some(name) = inner.strip_prefix('/') {
        return Token::Close(name.trim().to_ascii_lowercase());
    }
    let self_closing = inner.ends_with('/');
    let inner = inner.trim_end_matches('/');
    let name_end = inner.find(char::is_whitespace).unwrap_or(inner.len());
    let name = inner[..name_end].to_ascii_lowercase();
    if self_closing || name == "br" {
        return Token::Empty(name);
    }
    let href = attribute(&inner[name_end..], "href");
    Token::Open { name, href }
}

fn attribute(attrs: &str, wanted: &str) -> Option<String> {
    let start = attrs.find(&format!("{wanted}="))? + wanted.len() + 1;
    let value = &attrs[start..];
    let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &value[1..];
    let end = value.find(quote)?;
    Some(decode_entities(&value[..end]))
}

fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('&') {
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let decoded = rest.find(';').and_then(|end| {
            let entity = &rest[1..end];
            entity_char(entity).map(|c| (c, end + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity_char(entity: &str) -> Option<char> {
    match entity {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        _ => {
            let number = entity.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

/// Builds Markdown from tokens; tracks lists, links and code spans.
#[derive(Default)]
struct Writer {
    lines: Vec<String>,
    line: String,
    list_depth: usize,
    code_depth: usize,
    pre_depth: usize,
    link: Option<(String, String)>,
}

impl Writer {
    fn token(&mut self, token: Token<'_>) {
        match token {
            Token::Text(text) => self.text(&decode_entities(text)),
            Token::Open { name, href } => self.open(&name, href),
            Token::Close(name) => self.close(&name),
            Token::Empty(name) => {
                if name == "br" {
                    self.break_line();
                } else if name == "p" {
                    self.paragraph();
                }
            }
        }
    }

    fn open(&mut self, name: &str, href: Option<String>) {
        match name {
            "p" | "note" | "important" | "dl" | "dd" => {
                self.paragraph();
                if name != "p" && name != "dl" && name != "dd" {
                    self.push_raw("**Note:** ");
                }
            }
            "dt" => {
                self.paragraph();
                self.push_raw("**");
            }
            "ul" | "ol" => {
                self.break_line();
                self.list_depth += 1;
            }
            "li" => {
                self.break_line();
                let indent = "  ".repeat(self.list_depth.saturating_sub(1));
                self.push_raw(&format!("{indent}- "));
            }
            "code" | "tt" if self.pre_depth == 0 => {
                self.code_depth += 1;
                if self.code_depth == 1 {
                    self.push_raw("`");
                }
            }
            "pre" => {
                self.paragraph();
                self.pre_depth += 1;
                self.push_raw("```text");
                self.break_line();
            }
            "b" | "strong" => self.push_raw("**"),
            "i" | "em" => self.push_raw("*"),
            "a" => self.link = href.map(|href| (href, String::new())),
            _ => {}
        }
    }

    fn close(&mut self, name: &str) {
        match name {
            "p" | "note" | "important" | "dl" | "dd" => self.paragraph(),
            "dt" => {
                self.trim_line_end();
                self.push_raw("**");
                self.paragraph();
            }
            "ul" | "ol" => {
                self.list_depth = self.list_depth.saturating_sub(1);
                self.break_line();
                if self.list_depth == 0 {
                    self.paragraph();
                }
            }
            "code" | "tt" if self.pre_depth == 0 && self.code_depth > 0 => {
                self.code_depth -= 1;
                if self.code_depth == 0 {
                    self.trim_line_end();
                    self.push_raw("`");
                }
            }
            "pre" if self.pre_depth > 0 => {
                self.pre_depth -= 1;
                self.break_line();
                self.push_raw("```");
                self.paragraph();
            }
            "b" | "strong" => {
                self.trim_line_end();
                self.push_raw("**");
            }
            "i" | "em" => {
                self.trim_line_end();
                self.push_raw("*");
            }
            "a" => self.finish_link(),
            _ => {}
        }
    }

    fn finish_link(&mut self) {
        let Some((href, text)) = self.link.take() else {
            return;
        };
        let text = text.trim();
        let is_web = href.starts_with("http://") || href.starts_with("https://");
        if !is_web {
            self.push_raw(&escape(text));
        } else if text.is_empty() || text == href {
            self.push_raw(&format!("<{href}>"));
        } else {
            self.push_raw(&format!("[{}]({href})", escape(text)));
        }
    }

    fn text(&mut self, text: &str) {
        if let Some((_, link_text)) = &mut self.link {
            link_text.push_str(&collapse_whitespace(text));
            return;
        }
        if self.pre_depth > 0 {
            for (i, line) in text.split('\n').enumerate() {
                if i > 0 {
                    self.break_line_keep_empty();
                }
                self.push_raw(line.trim_end());
            }
            return;
        }
        let text = collapse_whitespace(text);
        let text = if self.line.trim().is_empty() || self.line.ends_with(' ') {
            text.trim_start()
        } else {
            &text
        };
        if self.code_depth > 0 {
            self.push_raw(&text.replace('`', "'"));
        } else {
            self.push_raw(&escape_prose(text));
        }
    }

    fn push_raw(&mut self, text: &str) {
        self.line.push_str(text);
    }

    fn trim_line_end(&mut self) {
        let trimmed = self.line.trim_end().len();
        self.line.truncate(trimmed);
    }

    fn break_line(&mut self) {
        let line = std::mem::take(&mut self.line);
        let line = line.trim_end();
        if !line.trim().is_empty() {
            self.lines.push(line.to_owned());
        }
    }

    fn break_line_keep_empty(&mut self) {
        let line = std::mem::take(&mut self.line);
        self.lines.push(line.trim_end().to_owned());
    }

    fn paragraph(&mut self) {
        // `<li><p>`: the paragraph starts on the list item's own line.
        if self.line.trim() == "-" {
            return;
        }
        self.break_line();
        if self.list_depth == 0 && self.lines.last().is_some_and(|l| !l.is_empty()) {
            self.lines.push(String::new());
        }
    }

    fn finish(mut self) -> Vec<String> {
        self.finish_link();
        self.break_line();
        let mut lines: Vec<String> = Vec::with_capacity(self.lines.len());
        let mut in_fence = false;
        for line in self.lines {
            if line.starts_with("```") {
                in_fence = !in_fence;
            }
            // Leading spaces outside lists and fences would start an indented code block.
            let line = if in_fence || line.trim_start().starts_with("- ") {
                line
            } else {
                line.trim_start().to_owned()
            };
            if line.is_empty() && lines.last().is_none_or(String::is_empty) {
                continue;
            }
            lines.push(line);
        }
        while lines.last().is_some_and(String::is_empty) {
            lines.pop();
        }
        lines
    }
}

fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else {
            out.push(c);
            in_space = false;
        }
    }
    out
}

/// Escapes Markdown and rustdoc syntax in prose, and turns bare URLs into autolinks.
fn escape_prose(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(&escape_word(word));
    }
    out
}

fn escape_word(word: &str) -> String {
    let url_start = word.find("https://").or_else(|| word.find("http://"));
    match url_start {
        Some(start) => {
            let url = &word[start..];
            let url_end = url
                .trim_end_matches(['.', ',', ';', ':', ')', '"', '\''])
                .len();
            format!(
                "{}<{}>{}",
                escape(&word[..start]),
                &url[..url_end],
                escape(&url[url_end..])
            )
        }
        None => escape(word),
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '`' | '*' | '[' | ']' | '<' | '>' | '|' | '#') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_become_blank_line_separated() {
        assert_eq!(
            to_markdown("<p>One.</p> <p>Two <code>x</code>.</p>"),
            ["One.", "", "Two `x`."]
        );
    }

    #[test]
    fn links_lists_and_entities() {
        let html = "<p>See <a href=\"https://example.com/a\">the guide</a> &amp; more:</p><ul><li><p><b>A</b> one</p></li><li>two [x]</li></ul>";
        assert_eq!(
            to_markdown(html),
            [
                "See [the guide](https://example.com/a) & more:",
                "",
                "- **A** one",
                "- two \\[x\\]"
            ]
        );
    }

    #[test]
    fn bare_urls_become_autolinks_and_tags_are_escaped() {
        assert_eq!(
            to_markdown("Visit https://aws.amazon.com/ivs. Use a&lt;b&gt;."),
            ["Visit <https://aws.amazon.com/ivs>. Use a\\<b\\>."]
        );
    }

    #[test]
    fn relative_links_keep_only_their_text() {
        assert_eq!(to_markdown("<a href=\"/foo\">Foo</a> bar"), ["Foo bar"]);
    }

    #[test]
    fn pre_becomes_a_text_fence() {
        assert_eq!(
            to_markdown("<pre><code>a\n  b</code></pre>"),
            ["```text", "a", "  b", "```"]
        );
    }
}
