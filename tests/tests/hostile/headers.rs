//! Security headers on every HTML answer; GraphiQL from the site's own files.
