//! Editors' sign-in: a real POST form, a throttle that counts before verifying, per account and address.
