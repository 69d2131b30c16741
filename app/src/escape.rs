//! Text that reaches HTML where Leptos does not escape it: the `<title>`
//! (leptos_meta writes it as is), `<textarea>` children (tachys writes them
//! raw), JSON inside a `<script>`, and HTML that readers copy (the embed code).
//! Everything the catalogue, the newsletter or a request says goes through
//! these, so it shows as typed and never becomes markup.

/// `text` for an element whose children tachys writes unescaped on the
/// server (`<title>`, `<textarea>`): `&`, `<` and `>` escaped there, so the
/// browser reads back exactly `text`. In the browser the same text becomes a
/// text node or a property, which needs no escaping.
pub fn raw_text(text: &str) -> String {
    if cfg!(feature = "ssr") {
        html_escape::encode_text(text).into_owned()
    } else {
        text.to_owned()
    }
}

/// `text` inside a double-quoted attribute of HTML that is written by hand
/// rather than by a view (`&`, `<`, `>` and `"` escaped).
pub fn attribute(text: &str) -> String {
    html_escape::encode_double_quoted_attribute(text).into_owned()
}

/// JSON for a `<script>` element (JSON-LD): every `<`, `>` and `&` becomes a
/// `\u` escape, so no text can close the script, open a comment or look like
/// markup, and the JSON still means the same.
pub fn script_json(value: &serde_json::Value) -> String {
    let json = value.to_string();
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{attribute, script_json};
    use serde_json::json;

    #[test]
    fn script_json_escapes_every_markup_character_and_keeps_the_value() {
        let value = json!({ "name": "A</script><!--<b>&amp;" });
        let text = script_json(&value);
        assert!(!text.contains(['<', '>', '&']), "{text}");
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&text).ok(),
            Some(value)
        );
    }

    #[test]
    fn attribute_text_cannot_close_its_quotes() {
        assert_eq!(attribute("a\"><img>&"), "a&quot;&gt;&lt;img&gt;&amp;");
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn raw_text_cannot_close_its_element() {
        assert_eq!(super::raw_text("</title>&amp;"), "&lt;/title&gt;&amp;amp;");
    }
}
