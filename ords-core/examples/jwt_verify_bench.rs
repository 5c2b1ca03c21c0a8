//! Microseconds per JWT verification, by algorithm and library (issue 13 target 4).
//! `cargo run --release -p ords-core --example jwt_verify_bench`
use std::hint::black_box;
use std::time::Instant;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ords_core::jwt::{self, Alg, SigningKey, VerifyKey};
use p256::ecdsa::signature::Verifier as _;

/// The fastest of 20 batches of n/20 calls (the machine is shared: the minimum is the cost).
fn time(label: &str, n: u32, mut f: impl FnMut() -> bool) {
    for _ in 0..n / 10 {
        assert!(f());
    }
    let batch = (n / 20).max(1);
    let mut best = f64::MAX;
    for _ in 0..20 {
        let t = Instant::now();
        for _ in 0..batch {
            assert!(black_box(f()));
        }
        best = best.min(t.elapsed().as_secs_f64() * 1e6 / f64::from(batch));
    }
    println!("{label:<52} {best:8.2} us");
}

fn main() {
    let n = 2000;
    let now = 1_700_000_000;
    // The claims oauth.issue_token puts in a JWT (src/tokens.rs).
    let claims = serde_json::json!({
        "iss": "pg_ords", "sub": "Vq3p9Zb1r5cJ0nH2xKfW0A..", "aud": "bench",
        "iat": now, "exp": now + 3600, "jti": "N9w7XU0m3kq1fZb2Yv8cJr5tL4pQ6sHdA1eG3oK7iM0",
        "scope": null, "role": null,
    });
    for alg in [Alg::ES256, Alg::EdDSA, Alg::HS256] {
        let sk = SigningKey::generate(alg, format!("kid-{alg}")).unwrap();
        let vk = VerifyKey::from_signing(&sk).unwrap();
        let keys = vec![vk];
        let token = jwt::sign(&sk, &claims).unwrap();
        time(&format!("ords_core::jwt::verify {alg}"), n, || {
            jwt::verify(&token, &keys, now, 0).is_ok()
        });
        time(&format!("ords_core::jwt::verify_access {alg}"), n, || {
            jwt::verify_access(&token, &keys, now, 0).is_ok()
        });
        // 1000 distinct tokens in turn (the bench's issued-random workload): no two calls
        // with the same scalars.
        let tokens: Vec<String> = (0..1000)
            .map(|i| {
                let mut c = claims.clone();
                c["jti"] = format!("jti-{i}").into();
                jwt::sign(&sk, &c).unwrap()
            })
            .collect();
        let mut i = 0;
        time(
            &format!("ords_core::jwt::verify_access {alg}, 1000 tokens"),
            n,
            || {
                i = (i + 1) % tokens.len();
                jwt::verify_access(&tokens[i], &keys, now, 0).is_ok()
            },
        );
        if alg == Alg::ES256 {
            let (input, sig_b64) = token.rsplit_once('.').unwrap();
            let sig = URL_SAFE_NO_PAD.decode(sig_b64).unwrap();
            let p = p256::ecdsa::SigningKey::from_slice(sk.private_bytes()).unwrap();
            let pvk = *p.verifying_key();
            let psig = p256::ecdsa::Signature::from_slice(&sig).unwrap();
            time("  p256 VerifyingKey::verify only", n, || {
                pvk.verify(input.as_bytes(), &psig).is_ok()
            });
            let sec1 = pvk.to_encoded_point(false).as_bytes().to_vec();
            let rk = ring::signature::UnparsedPublicKey::new(
                &ring::signature::ECDSA_P256_SHA256_FIXED,
                sec1.clone(),
            );
            time("  ring ECDSA_P256_SHA256_FIXED verify only", n, || {
                rk.verify(input.as_bytes(), &sig).is_ok()
            });
            time("  p256 Signature::from_slice + normalize_s only", n, || {
                p256::ecdsa::Signature::from_slice(&sig).is_ok_and(|s| s.normalize_s().is_none())
            });
            time("  base64 decode of the signature only", n, || {
                URL_SAFE_NO_PAD.decode(sig_b64).is_ok()
            });
            time("  p256 from_sec1_bytes (key parse) only", n, || {
                p256::ecdsa::VerifyingKey::from_sec1_bytes(&sec1).is_ok()
            });
            time("  p256 public from scalar (from_signing) only", n, || {
                VerifyKey::from_signing(&sk).is_ok()
            });
        }
        if alg == Alg::EdDSA {
            let (input, sig_b64) = token.rsplit_once('.').unwrap();
            let sig = URL_SAFE_NO_PAD.decode(sig_b64).unwrap();
            let pk = ed25519_dalek::SigningKey::from_bytes(sk.private_bytes().try_into().unwrap())
                .verifying_key();
            let rk = ring::signature::UnparsedPublicKey::new(
                &ring::signature::ED25519,
                pk.as_bytes().to_vec(),
            );
            time("  ring ED25519 verify only", n, || {
                rk.verify(input.as_bytes(), &sig).is_ok()
            });
        }
    }
}
