//! Microseconds per JWT verification, by algorithm and library (issue 13 target 4).
//! `cargo run --release -p ords-core --example jwt_verify_bench`
use std::hint::black_box;
use std::time::Instant;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ords_core::jwt::{self, Alg, SigningKey, VerifyKey};
use p256::ecdsa::signature::Verifier as _;

fn time(label: &str, n: u32, mut f: impl FnMut() -> bool) {
    for _ in 0..n / 10 {
        assert!(f());
    }
    let t = Instant::now();
    for _ in 0..n {
        assert!(black_box(f()));
    }
    let us = t.elapsed().as_secs_f64() * 1e6 / f64::from(n);
    println!("{label:<52} {us:8.2} us");
}

fn main() {
    let n = 2000;
    let now = 1_700_000_000;
    let claims = serde_json::json!({"sub": "client", "jti": "abcdefghijklmnop", "iat": now, "exp": now + 3600, "role": "r"});
    for alg in [Alg::ES256, Alg::EdDSA, Alg::HS256] {
        let sk = SigningKey::generate(alg, format!("kid-{alg}")).unwrap();
        let vk = VerifyKey::from_signing(&sk).unwrap();
        let keys = vec![vk];
        let token = jwt::sign(&sk, &claims).unwrap();
        time(&format!("ords_core::jwt::verify {alg}"), n, || {
            jwt::verify(&token, &keys, now, 0).is_ok()
        });
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
