//! Stored (retrievable) client secrets, encrypted at rest (docs/secrets.md#stored).
//!
//! A *key ring* holds versioned 256-bit keys (an id and 32 random bytes each); the newest is the
//! current one. It lives in a key file outside the database (the extension reads and writes it;
//! this module only parses and formats its text). A secret is sealed with AES-256-GCM under the
//! current key, with a fresh random 96-bit nonce, and its authenticated data binds the
//! ciphertext to the client row and slot it belongs to, so a ciphertext copied to another
//! client or slot does not open.
//!
//! Sealed format (bytes): `version (1) | key id (4, big-endian) | nonce (12) | ciphertext+tag`.
//! Authenticated data: `"pg_ords stored secret" | version | key id | client (8, BE) | slot (2, BE)`.
//!
//! Key file format (text):
//! ```text
//! pg_ords stored-secret keys v1
//! # comment lines and blank lines are ignored
//! 1 <64 hex digits>
//! 2 <64 hex digits>
//! ```
//! No error message or `Debug` output of this module contains a key, a secret or a ciphertext.
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use rand::RngCore;
use rand::rngs::OsRng;
use zeroize::Zeroizing;

/// First line of a key file.
pub const KEY_FILE_HEADER: &str = "pg_ords stored-secret keys v1";
/// Version byte of the sealed format.
pub const FORMAT_VERSION: u8 = 1;
const NONCE_LEN: usize = 12;
const TAG_LEN: usize = 16;
const HEADER_LEN: usize = 1 + 4 + NONCE_LEN;
/// Shortest sealed value (an empty secret).
pub const MIN_SEALED_LEN: usize = HEADER_LEN + TAG_LEN;
const AAD_PREFIX: &[u8] = b"pg_ords stored secret";

/// One key of the ring.
#[derive(Clone)]
struct Key {
    id: u32,
    bytes: Zeroizing<[u8; 32]>,
}

/// The keys of a key file, in ascending id order; the last one is current.
#[derive(Default, Clone)]
pub struct KeyRing {
    keys: Vec<Key>,
}

impl std::fmt::Debug for KeyRing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Ids only: never the key bytes.
        f.debug_struct("KeyRing").field("ids", &self.ids()).finish()
    }
}

/// Why a key file could not be read. Names a line number, never its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyFileError {
    /// The first line is not [`KEY_FILE_HEADER`].
    BadHeader,
    /// A key line is not `<id> <64 hex digits>` with an id from 1 to 4294967295.
    BadLine(usize),
    /// Two keys have the same id.
    DuplicateId(u32),
}

impl std::fmt::Display for KeyFileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::BadHeader => write!(f, "the first line is not \"{KEY_FILE_HEADER}\""),
            Self::BadLine(n) => write!(
                f,
                "line {n} is not a key line (\"<id> <64 hexadecimal digits>\")"
            ),
            Self::DuplicateId(id) => write!(f, "key id {id} appears twice"),
        }
    }
}

/// Why a sealed value did not open. Never contains the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenError {
    /// Shorter than the smallest sealed value.
    Truncated,
    /// A format version this code does not know.
    UnknownVersion(u8),
    /// Sealed with a key the ring does not hold (a retired key, or another key file).
    UnknownKey(u32),
    /// Authentication failed: altered, or moved to another client or slot.
    Rejected,
    /// Opened, but the plaintext is not UTF-8 (cannot happen for values this module sealed).
    NotText,
}

impl std::fmt::Display for OpenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Truncated => write!(f, "the stored value is truncated"),
            Self::UnknownVersion(v) => write!(f, "the stored value has unknown format version {v}"),
            Self::UnknownKey(id) => write!(f, "key {id} is not in the key file"),
            Self::Rejected => write!(
                f,
                "the stored value failed authentication (altered, or copied from another client or slot)"
            ),
            Self::NotText => write!(f, "the stored value is not text"),
        }
    }
}

/// Why a secret could not be sealed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SealError {
    /// The ring holds no key.
    NoKey,
}

impl std::fmt::Display for SealError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NoKey => write!(f, "the key file holds no key"),
        }
    }
}

fn hex_value(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

fn parse_key_hex(s: &str) -> Option<Zeroizing<[u8; 32]>> {
    let b = s.as_bytes();
    if b.len() != 64 {
        return None;
    }
    let mut out = Zeroizing::new([0u8; 32]);
    for (i, pair) in b.chunks(2).enumerate() {
        out[i] = hex_value(pair[0])? << 4 | hex_value(pair[1])?;
    }
    Some(out)
}

fn aad(version: u8, key_id: u32, client: i64, slot: i16) -> Vec<u8> {
    let mut a = Vec::with_capacity(AAD_PREFIX.len() + 1 + 4 + 8 + 2);
    a.extend_from_slice(AAD_PREFIX);
    a.push(version);
    a.extend_from_slice(&key_id.to_be_bytes());
    a.extend_from_slice(&client.to_be_bytes());
    a.extend_from_slice(&slot.to_be_bytes());
    a
}

/// The id of the key a sealed value names (None when it is too short or of another version).
pub fn key_id_of(sealed: &[u8]) -> Option<u32> {
    if sealed.len() < MIN_SEALED_LEN || sealed[0] != FORMAT_VERSION {
        return None;
    }
    Some(u32::from_be_bytes([
        sealed[1], sealed[2], sealed[3], sealed[4],
    ]))
}

impl KeyRing {
    /// An empty ring.
    pub fn new() -> Self {
        Self::default()
    }

    /// Parse a key file's text.
    pub fn parse(text: &str) -> Result<Self, KeyFileError> {
        let mut lines = text.lines().enumerate();
        let header = lines
            .by_ref()
            .find(|(_, l)| !l.trim().is_empty())
            .map(|(_, l)| l.trim());
        if header != Some(KEY_FILE_HEADER) {
            return Err(KeyFileError::BadHeader);
        }
        let mut keys: Vec<Key> = Vec::new();
        for (i, line) in lines {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut parts = line.split_ascii_whitespace();
            let (Some(id), Some(hex), None) = (parts.next(), parts.next(), parts.next()) else {
                return Err(KeyFileError::BadLine(i + 1));
            };
            // Decimal digits without a leading zero: one spelling per id.
            let canonical = id.bytes().all(|c| c.is_ascii_digit()) && !id.starts_with('0');
            let id = match id.parse::<u32>() {
                Ok(id) if canonical => id,
                _ => return Err(KeyFileError::BadLine(i + 1)),
            };
            let bytes = parse_key_hex(hex).ok_or(KeyFileError::BadLine(i + 1))?;
            if keys.iter().any(|k| k.id == id) {
                return Err(KeyFileError::DuplicateId(id));
            }
            keys.push(Key { id, bytes });
        }
        keys.sort_by_key(|k| k.id);
        Ok(Self { keys })
    }

    /// The key file's text (contains the keys: write it only to the key file).
    pub fn to_text(&self) -> Zeroizing<String> {
        let mut s = Zeroizing::new(String::new());
        s.push_str(KEY_FILE_HEADER);
        s.push('\n');
        s.push_str(
            "# Keys of pg_ords's stored client secrets (docs/secrets.md#stored). Keep this file with\n\
             # the data directory; without it stored secrets read as '********'. Never share it.\n",
        );
        for k in &self.keys {
            s.push_str(&k.id.to_string());
            s.push(' ');
            for b in k.bytes.iter() {
                s.push(char::from(b"0123456789abcdef"[usize::from(b >> 4)]));
                s.push(char::from(b"0123456789abcdef"[usize::from(b & 15)]));
            }
            s.push('\n');
        }
        s
    }

    /// Whether the ring holds no key.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The ids of the keys, ascending.
    pub fn ids(&self) -> Vec<u32> {
        self.keys.iter().map(|k| k.id).collect()
    }

    /// The id of the current (newest) key.
    pub fn current(&self) -> Option<u32> {
        self.keys.last().map(|k| k.id)
    }

    /// Add a new random key and make it current; returns its id (None when ids are exhausted).
    pub fn add_key(&mut self) -> Option<u32> {
        let mut bytes = Zeroizing::new([0u8; 32]);
        OsRng.fill_bytes(&mut bytes[..]);
        self.add_key_bytes(bytes)
    }

    fn add_key_bytes(&mut self, bytes: Zeroizing<[u8; 32]>) -> Option<u32> {
        let id = self.current().unwrap_or(0).checked_add(1)?;
        self.keys.push(Key { id, bytes });
        Some(id)
    }

    /// Drop every key but the current one for which `keep` is false; returns how many went.
    pub fn retain(&mut self, keep: impl Fn(u32) -> bool) -> usize {
        let current = self.current();
        let before = self.keys.len();
        self.keys.retain(|k| Some(k.id) == current || keep(k.id));
        before - self.keys.len()
    }

    fn cipher(&self, id: u32) -> Option<Aes256Gcm> {
        let k = self.keys.iter().find(|k| k.id == id)?;
        Aes256Gcm::new_from_slice(&k.bytes[..]).ok()
    }

    /// Seal `secret` for slot `slot` of client row `client` under the current key.
    pub fn seal(&self, client: i64, slot: i16, secret: &str) -> Result<Vec<u8>, SealError> {
        let mut nonce = [0u8; NONCE_LEN];
        OsRng.fill_bytes(&mut nonce);
        self.seal_with_nonce(client, slot, secret, nonce)
    }

    fn seal_with_nonce(
        &self,
        client: i64,
        slot: i16,
        secret: &str,
        nonce: [u8; NONCE_LEN],
    ) -> Result<Vec<u8>, SealError> {
        let id = self.current().ok_or(SealError::NoKey)?;
        let cipher = self.cipher(id).ok_or(SealError::NoKey)?;
        let aad = aad(FORMAT_VERSION, id, client, slot);
        // Encryption with a valid key and in-memory buffers cannot fail.
        let ct = cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: secret.as_bytes(),
                    aad: &aad,
                },
            )
            .map_err(|_| SealError::NoKey)?;
        let mut out = Vec::with_capacity(HEADER_LEN + ct.len());
        out.push(FORMAT_VERSION);
        out.extend_from_slice(&id.to_be_bytes());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&ct);
        Ok(out)
    }

    /// Open a value sealed for slot `slot` of client row `client`.
    pub fn open(
        &self,
        client: i64,
        slot: i16,
        sealed: &[u8],
    ) -> Result<Zeroizing<String>, OpenError> {
        if sealed.is_empty() {
            return Err(OpenError::Truncated);
        }
        if sealed[0] != FORMAT_VERSION {
            return Err(OpenError::UnknownVersion(sealed[0]));
        }
        let id = key_id_of(sealed).ok_or(OpenError::Truncated)?;
        let cipher = self.cipher(id).ok_or(OpenError::UnknownKey(id))?;
        let aad = aad(FORMAT_VERSION, id, client, slot);
        let pt = cipher
            .decrypt(
                Nonce::from_slice(&sealed[5..HEADER_LEN]),
                Payload {
                    msg: &sealed[HEADER_LEN..],
                    aad: &aad,
                },
            )
            .map_err(|_| OpenError::Rejected)?;
        let pt = Zeroizing::new(pt);
        match std::str::from_utf8(&pt) {
            Ok(s) => Ok(Zeroizing::new(s.to_string())),
            Err(_) => Err(OpenError::NotText),
        }
    }

    /// Open `sealed` and seal it again under the current key (key rotation). Returns None when
    /// it is already sealed under the current key.
    pub fn reseal(
        &self,
        client: i64,
        slot: i16,
        sealed: &[u8],
    ) -> Result<Option<Vec<u8>>, OpenError> {
        let secret = self.open(client, slot, sealed)?;
        if key_id_of(sealed) == self.current() {
            return Ok(None);
        }
        self.seal(client, slot, &secret)
            .map(Some)
            .map_err(|_| OpenError::UnknownKey(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring(n: usize) -> KeyRing {
        let mut r = KeyRing::new();
        for _ in 0..n {
            r.add_key().unwrap();
        }
        r
    }

    #[test]
    fn seal_open_round_trip() {
        let r = ring(1);
        let s = r.seal(42, 1, "a secret..").unwrap();
        assert_eq!(s[0], FORMAT_VERSION);
        assert_eq!(key_id_of(&s), Some(1));
        assert_eq!(s.len(), MIN_SEALED_LEN + "a secret..".len());
        assert_eq!(r.open(42, 1, &s).unwrap().as_str(), "a secret..");
        // The plaintext does not appear in the sealed bytes.
        assert!(!s.windows(8).any(|w| w == b"a secret"));
    }

    #[test]
    fn nonces_differ() {
        let r = ring(1);
        assert_ne!(r.seal(1, 1, "same").unwrap(), r.seal(1, 1, "same").unwrap());
    }

    #[test]
    fn tampering_anywhere_is_rejected() {
        let r = ring(1);
        let s = r.seal(7, 2, "the secret value").unwrap();
        for i in 0..s.len() {
            let mut t = s.clone();
            t[i] ^= 0x01;
            assert!(r.open(7, 2, &t).is_err(), "byte {i} flipped still opens");
        }
    }

    #[test]
    fn other_client_or_slot_is_rejected() {
        let r = ring(1);
        let s = r.seal(7, 1, "bound").unwrap();
        assert_eq!(r.open(8, 1, &s).unwrap_err(), OpenError::Rejected);
        assert_eq!(r.open(7, 2, &s).unwrap_err(), OpenError::Rejected);
        assert_eq!(r.open(-7, 1, &s).unwrap_err(), OpenError::Rejected);
    }

    #[test]
    fn wrong_or_missing_key() {
        let r = ring(1);
        let s = r.seal(1, 1, "x").unwrap();
        // Another ring with a key of the same id: authentication fails.
        assert_eq!(ring(1).open(1, 1, &s).unwrap_err(), OpenError::Rejected);
        // A key id the ring does not hold.
        let mut t = s.clone();
        t[1..5].copy_from_slice(&9u32.to_be_bytes());
        assert_eq!(r.open(1, 1, &t).unwrap_err(), OpenError::UnknownKey(9));
        // Relabelling to another key the ring does hold fails authentication.
        let r2 = ring(2);
        let s1 = {
            let mut only1 = KeyRing::parse(&r2.to_text()).unwrap();
            only1.keys.truncate(1);
            only1.seal(1, 1, "x").unwrap()
        };
        assert_eq!(r2.open(1, 1, &s1).unwrap().as_str(), "x");
        let mut t = s1.clone();
        t[1..5].copy_from_slice(&2u32.to_be_bytes());
        assert_eq!(r2.open(1, 1, &t).unwrap_err(), OpenError::Rejected);
        assert_eq!(
            KeyRing::new().open(1, 1, &s).unwrap_err(),
            OpenError::UnknownKey(1)
        );
        assert_eq!(
            KeyRing::new().seal(1, 1, "x").unwrap_err(),
            SealError::NoKey
        );
    }

    #[test]
    fn truncated_and_foreign_input() {
        let r = ring(1);
        let s = r.seal(1, 1, "abc").unwrap();
        for n in 0..s.len() {
            assert!(r.open(1, 1, &s[..n]).is_err(), "prefix of {n} bytes opens");
        }
        assert_eq!(r.open(1, 1, &[]).unwrap_err(), OpenError::Truncated);
        assert_eq!(r.open(1, 1, &s[..10]).unwrap_err(), OpenError::Truncated);
        let mut t = s.clone();
        t[0] = 2;
        assert_eq!(r.open(1, 1, &t).unwrap_err(), OpenError::UnknownVersion(2));
        assert_eq!(key_id_of(&t), None);
        assert_eq!(
            r.open(1, 1, b"plain text secret of some length")
                .unwrap_err(),
            OpenError::UnknownVersion(b'p')
        );
    }

    #[test]
    fn rotation_reseals_and_retain_keeps_current() {
        let mut r = ring(1);
        let s = r.seal(3, 1, "rotate me").unwrap();
        assert_eq!(r.reseal(3, 1, &s).unwrap(), None);
        assert_eq!(r.add_key(), Some(2));
        let s2 = r.reseal(3, 1, &s).unwrap().unwrap();
        assert_eq!(key_id_of(&s2), Some(2));
        assert_eq!(r.open(3, 1, &s2).unwrap().as_str(), "rotate me");
        // Nothing references key 1 any more; the current key is never dropped.
        assert_eq!(r.retain(|_| false), 1);
        assert_eq!(r.ids(), vec![2]);
        assert_eq!(r.retain(|_| false), 0);
        assert_eq!(r.open(3, 1, &s).unwrap_err(), OpenError::UnknownKey(1));
        assert_eq!(r.open(3, 1, &s2).unwrap().as_str(), "rotate me");
        assert_eq!(
            r.add_key(),
            Some(3),
            "ids are never reused while the newest is kept"
        );
    }

    #[test]
    fn key_file_round_trip() {
        let r = ring(3);
        let text = r.to_text();
        let p = KeyRing::parse(&text).unwrap();
        assert_eq!(p.ids(), vec![1, 2, 3]);
        let s = r.seal(5, 2, "kept").unwrap();
        assert_eq!(p.open(5, 2, &s).unwrap().as_str(), "kept");
        assert_eq!(format!("{p:?}"), "KeyRing { ids: [1, 2, 3] }");
    }

    #[test]
    fn key_file_errors() {
        let k = "ab".repeat(32);
        assert_eq!(KeyRing::parse("").unwrap_err(), KeyFileError::BadHeader);
        assert_eq!(
            KeyRing::parse(&format!("1 {k}\n")).unwrap_err(),
            KeyFileError::BadHeader
        );
        let h = KEY_FILE_HEADER;
        assert!(KeyRing::parse(&format!("{h}\n")).unwrap().is_empty());
        assert_eq!(
            KeyRing::parse(&format!("{h}\n\n# c\n 1 {k} \n"))
                .unwrap()
                .ids(),
            vec![1]
        );
        for bad in [
            format!("0 {k}"),
            format!("01 {k}"),
            format!("+1 {k}"),
            format!("-1 {k}"),
            format!("x {k}"),
            format!("1 {}", &k[..62]),
            format!("1 {k}00"),
            format!("1 {}zz", &k[..62]),
            format!("1 {k} extra"),
            "1".to_string(),
            format!("4294967296 {k}"),
        ] {
            let e = KeyRing::parse(&format!("{h}\n{bad}\n")).unwrap_err();
            assert_eq!(e, KeyFileError::BadLine(2), "{bad}");
            assert!(!e.to_string().contains(&k[..8]));
        }
        assert_eq!(
            KeyRing::parse(&format!("{h}\n2 {k}\n2 {k}\n")).unwrap_err(),
            KeyFileError::DuplicateId(2)
        );
        // Ids need not be in order; the highest is current.
        let r = KeyRing::parse(&format!("{h}\n5 {k}\n3 {k}\n")).unwrap();
        assert_eq!((r.ids(), r.current()), (vec![3, 5], Some(5)));
    }

    #[test]
    fn ids_exhausted() {
        let k = "cd".repeat(32);
        let mut r = KeyRing::parse(&format!("{KEY_FILE_HEADER}\n4294967295 {k}\n")).unwrap();
        assert_eq!(r.add_key(), None);
    }
}
