//! MyPay's JWTs (spec §2.5.1, §3.2): HS512, signed with a secret kept in the emulator's database
//! so that URLs survive a restart.
//!
//! * upload `authorizationToken`: `type` = `ws`, `sub` = requestToken, `ente`, `uploadType` =
//!   `FLUSSI_IMPORT`, `importPath` = null; valid 1 hour;
//! * download `securityToken`: `type` = `sec`, `sub` = `<ANONIMO>`, `oid` =
//!   `<type>|<mygovEnteId>|<filename>`; valid 2 hours.
//!
//! Validation has no leeway, so a token shortened by fault injection expires when it says.
//!
//! The token is a compact JWT (`{"typ":"JWT","alg":"HS512"}`, the claims, the HMAC-SHA512 of
//! both, base64url without padding) signed with the `hmac` and `sha2` crates directly: a JWT
//! library would bring RSA and elliptic curves this emulator never uses (RUSTSEC-2023-0071).

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha512;

type HmacSha512 = Hmac<Sha512>;

const HEADER: &str = r#"{"typ":"JWT","alg":"HS512"}"#;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ente: Option<String>,
    #[serde(
        rename = "uploadType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub upload_type: Option<String>,
    #[serde(rename = "importPath", default)]
    pub import_path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oid: Option<String>,
    pub jti: String,
    pub ijti: String,
    pub iat: i64,
    pub exp: i64,
}

/// Why a token was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum TokenError {
    Expired,
    Invalid,
}

pub struct Tokens {
    secret: Vec<u8>,
}

impl Tokens {
    pub fn new(secret: &[u8]) -> Tokens {
        Tokens {
            secret: secret.to_vec(),
        }
    }

    fn mac(&self) -> HmacSha512 {
        // HMAC takes a key of any length.
        HmacSha512::new_from_slice(&self.secret).expect("HMAC accepts any key length")
    }

    fn sign(&self, claims: &Claims) -> String {
        // Claims of strings and integers always serialize.
        let payload = serde_json::to_vec(claims).unwrap_or_default();
        let signed = format!("{}.{}", B64.encode(HEADER), B64.encode(payload));
        let mut mac = self.mac();
        mac.update(signed.as_bytes());
        format!("{signed}.{}", B64.encode(mac.finalize().into_bytes()))
    }

    fn base(sub: &str, kind: &str, ttl_secs: i64) -> Claims {
        let now = chrono::Utc::now().timestamp();
        Claims {
            sub: sub.to_string(),
            kind: kind.to_string(),
            ente: None,
            upload_type: None,
            import_path: None,
            oid: None,
            jti: uuid::Uuid::new_v4().to_string(),
            ijti: uuid::Uuid::new_v4().to_string(),
            iat: now,
            exp: now + ttl_secs,
        }
    }

    /// The upload `authorizationToken`.
    pub fn upload(&self, request_token: &str, cod_ipa: &str, ttl_secs: i64) -> String {
        let mut c = Tokens::base(request_token, "ws", ttl_secs);
        c.ente = Some(cod_ipa.to_string());
        c.upload_type = Some("FLUSSI_IMPORT".to_string());
        self.sign(&c)
    }

    /// A download `securityToken`.
    pub fn download(&self, kind: &str, ente_id: i64, filename: &str, ttl_secs: i64) -> String {
        let mut c = Tokens::base("<ANONIMO>", "sec", ttl_secs);
        c.oid = Some(format!("{kind}|{ente_id}|{filename}"));
        self.sign(&c)
    }

    /// The claims of a token this emulator signed and that has not expired: the header must
    /// be HS512, the signature is compared in constant time, `exp` is required.
    pub fn verify(&self, token: &str) -> Result<Claims, TokenError> {
        let (signed, firma) = token.rsplit_once('.').ok_or(TokenError::Invalid)?;
        let (header, payload) = signed.split_once('.').ok_or(TokenError::Invalid)?;
        let firma = B64.decode(firma).map_err(|_| TokenError::Invalid)?;
        let mut mac = self.mac();
        mac.update(signed.as_bytes());
        mac.verify_slice(&firma).map_err(|_| TokenError::Invalid)?;
        let header: serde_json::Value = B64
            .decode(header)
            .ok()
            .and_then(|h| serde_json::from_slice(&h).ok())
            .ok_or(TokenError::Invalid)?;
        if header["alg"] != "HS512" {
            return Err(TokenError::Invalid);
        }
        let claims: Claims = B64
            .decode(payload)
            .ok()
            .and_then(|p| serde_json::from_slice(&p).ok())
            .ok_or(TokenError::Invalid)?;
        if claims.exp <= chrono::Utc::now().timestamp() {
            return Err(TokenError::Expired);
        }
        Ok(claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_expiry() {
        let t = Tokens::new(b"secret-secret-secret-secret-secret");
        let tok = t.upload("req", "c_x", 3600);
        let c = t.verify(&tok).unwrap();
        assert_eq!((c.sub.as_str(), c.kind.as_str()), ("req", "ws"));
        assert_eq!(c.ente.as_deref(), Some("c_x"));
        let old = t.download("FLUSSI_IMPORT", 1, "/x", -10);
        assert_eq!(t.verify(&old).unwrap_err(), TokenError::Expired);
        assert_eq!(t.verify("nonsense").unwrap_err(), TokenError::Invalid);
        let other = Tokens::new(b"another-secret-another-secret-xx");
        assert_eq!(other.verify(&tok).unwrap_err(), TokenError::Invalid);
        // A claim changed after signing, or the signature dropped ("alg": "none").
        let (h, rest) = tok.split_once('.').unwrap();
        let (p, sig) = rest.split_once('.').unwrap();
        let mut claims: serde_json::Value =
            serde_json::from_slice(&B64.decode(p).unwrap()).unwrap();
        claims["ente"] = "c_altro".into();
        let forged = format!("{h}.{}.{sig}", B64.encode(claims.to_string()));
        assert_eq!(t.verify(&forged).unwrap_err(), TokenError::Invalid);
        let none = format!("{}.{p}.", B64.encode(r#"{"alg":"none"}"#));
        assert_eq!(t.verify(&none).unwrap_err(), TokenError::Invalid);
    }

    /// A standard JWT reader sees MyPay's token shape: three base64url parts, HS512.
    #[test]
    fn the_token_is_a_compact_hs512_jwt() {
        let tok = Tokens::new(b"k").download("FLUSSI_EXPORT", 7, "/EXPORT/a.zip", 60);
        let parti: Vec<&str> = tok.split('.').collect();
        assert_eq!(parti.len(), 3);
        let h: serde_json::Value = serde_json::from_slice(&B64.decode(parti[0]).unwrap()).unwrap();
        assert_eq!(h["alg"], "HS512");
        assert_eq!(B64.decode(parti[2]).unwrap().len(), 64);
        let c: serde_json::Value = serde_json::from_slice(&B64.decode(parti[1]).unwrap()).unwrap();
        assert_eq!(c["oid"], "FLUSSI_EXPORT|7|/EXPORT/a.zip");
        assert_eq!(c["sub"], "<ANONIMO>");
    }
}
