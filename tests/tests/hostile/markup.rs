//! No text from the catalogue, the newsletter or a request introduces markup anywhere.
