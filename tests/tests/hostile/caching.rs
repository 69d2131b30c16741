//! Answers shaped by a cookie are private; anonymous GET answers revalidate to 304 with the default settings.
