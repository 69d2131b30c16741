//! E-mail addresses as Verdicts accepts them: the everyday form
//! `local@domain.tld`, stored in lower case.

/// The longest address SMTP carries (RFC 5321's path limit less the brackets).
use contract::limits::MAX_EMAIL_LEN as MAX_LEN;
/// The longest local part (RFC 5321).
const MAX_LOCAL_LEN: usize = 64;

/// `email` trimmed and lower-cased when it is a plausible deliverable
/// address; `None` otherwise. Deliberately stricter than RFC 5322: no quoted
/// local parts, comments or address literals, which real sign-ups never need
/// and header injection attempts always do.
pub fn normalise(email: &str) -> Option<String> {
    let email = email.trim().to_lowercase();
    if email.len() > MAX_LEN {
        return None;
    }
    let (local, domain) = email.split_once('@')?;
    let local_ok = !local.is_empty()
        && local.len() <= MAX_LOCAL_LEN
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(char::is_alphabetic));
    (local_ok && domain_ok).then_some(email)
}

#[cfg(test)]
mod tests {
    use super::normalise;

    #[test]
    fn everyday_addresses_are_accepted_in_lower_case() {
        assert_eq!(
            normalise("  Ada.Lovelace+news@Example.co.UK "),
            Some("ada.lovelace+news@example.co.uk".into())
        );
        assert_eq!(
            normalise("o'brien@mail.example.org"),
            Some("o'brien@mail.example.org".into())
        );
    }

    #[test]
    fn malformed_and_hostile_addresses_are_refused() {
        for bad in [
            "",
            "plainaddress",
            "@example.com",
            "name@",
            "name@localhost",
            "name@example.c0m",
            "name@@example.com",
            "na me@example.com",
            "name@exa_mple.com",
            "name@-example.com",
            ".name@example.com",
            "na..me@example.com",
            "\"quoted\"@example.com",
            "name@example.com\r\nBcc: victim@example.com",
            "name@example.com>, other@example.com",
            "name@[127.0.0.1]",
        ] {
            assert_eq!(normalise(bad), None, "{bad:?} should be refused");
        }
        let long_local = format!("{}@example.com", "a".repeat(65));
        assert_eq!(normalise(&long_local), None);
        let long = format!("a@{}.com", "b.".repeat(130));
        assert_eq!(normalise(&long), None);
    }
}
