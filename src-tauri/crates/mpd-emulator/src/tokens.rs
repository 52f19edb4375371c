//! MyPay's JWTs (spec §2.5.1, §3.2): HS512, signed with a secret kept in the emulator's database
//! so that URLs survive a restart.
//!
//! * upload `authorizationToken`: `type` = `ws`, `sub` = requestToken, `ente`, `uploadType` =
//!   `FLUSSI_IMPORT`, `importPath` = null; valid 1 hour;
//! * download `securityToken`: `type` = `sec`, `sub` = `<ANONIMO>`, `oid` =
//!   `<type>|<mygovEnteId>|<filename>`; valid 2 hours.
//!
//! Validation has no leeway, so a token shortened by fault injection expires when it says.

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

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
    enc: EncodingKey,
    dec: DecodingKey,
}

impl Tokens {
    pub fn new(secret: &[u8]) -> Tokens {
        Tokens {
            enc: EncodingKey::from_secret(secret),
            dec: DecodingKey::from_secret(secret),
        }
    }

    fn sign(&self, claims: &Claims) -> String {
        // Signing with an HMAC key cannot fail for serializable claims.
        jsonwebtoken::encode(&Header::new(Algorithm::HS512), claims, &self.enc).unwrap_or_default()
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

    pub fn verify(&self, token: &str) -> Result<Claims, TokenError> {
        let mut v = Validation::new(Algorithm::HS512);
        v.leeway = 0;
        v.validate_exp = true;
        v.required_spec_claims = ["exp".to_string()].into_iter().collect();
        jsonwebtoken::decode::<Claims>(token, &self.dec, &v)
            .map(|d| d.claims)
            .map_err(|e| match e.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => TokenError::Expired,
                _ => TokenError::Invalid,
            })
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
    }
}
