//! Reverse proxy to a schema's upstream (e.g. PostgREST) for paths no handler serves. Called
//! only after ords.authorize allowed the request; the upstream gets the normalised path (the
//! one the decision was about), never the raw one, and `X-ORDS-Client-Id` set by the gateway
//! alone.
use crate::app::{AppState, ords_error};
use axum::body::Body;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use axum::response::Response;
use bytes::Bytes;
use http_body_util::Full;
use std::time::Duration;

const HOP_BY_HOP: &[&str] = &[
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
];

pub const CLIENT_ID_HEADER: &str = "x-ords-client-id";

fn connection_listed(h: &HeaderMap) -> Vec<String> {
    h.get_all(header::CONNECTION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| {
            v.split(',')
                .map(|s| s.trim().to_ascii_lowercase())
                .collect::<Vec<_>>()
        })
        .collect()
}

/// A header name as a WSGI/CGI stack sees it: case-insensitive, `_` and `-` the same
/// (`X_ORDS_Client_Id` becomes HTTP_X_ORDS_CLIENT_ID, like `X-ORDS-Client-Id`).
fn folded(name: &str) -> String {
    name.to_ascii_lowercase().replace('_', "-")
}

fn strip(h: &HeaderMap, extra: &[&str]) -> HeaderMap {
    let listed = connection_listed(h);
    let mut out = HeaderMap::new();
    for (k, v) in h.iter() {
        let n = k.as_str();
        let f = folded(n);
        if HOP_BY_HOP.contains(&n)
            || extra.iter().any(|e| folded(e) == f)
            || listed.iter().any(|l| l == n || folded(l) == f)
        {
            continue;
        }
        out.append(k.clone(), v.clone());
    }
    out
}

#[allow(clippy::too_many_arguments)]
pub async fn forward(
    st: &AppState,
    upstream: &str,
    method: &Method,
    headers: &HeaderMap,
    path: &str,
    query: Option<&str>,
    body: Bytes,
    client_id: Option<&str>,
) -> Response {
    let uri = match query {
        Some(q) => format!("{upstream}{path}?{q}"),
        None => format!("{upstream}{path}"),
    };
    let Ok(uri) = uri.parse::<hyper::Uri>() else {
        return ords_error(StatusCode::BAD_REQUEST, None);
    };
    let mut h = strip(headers, &["host", "content-length", CLIENT_ID_HEADER]);
    if let Some(id) = client_id
        && let Ok(v) = HeaderValue::from_str(id)
    {
        h.insert(HeaderName::from_static(CLIENT_ID_HEADER), v);
    }
    let mut req = hyper::Request::new(Full::new(body));
    *req.method_mut() = method.clone();
    *req.uri_mut() = uri;
    *req.headers_mut() = h;

    let timeout = Duration::from_millis(st.cfg.upstream_timeout_ms);
    match tokio::time::timeout(timeout, st.http.request(req)).await {
        Err(_) => {
            tracing::warn!("upstream timed out");
            ords_error(StatusCode::GATEWAY_TIMEOUT, None)
        }
        Ok(Err(e)) => {
            tracing::warn!(error = %crate::app::clean(&e.to_string()), "upstream request failed");
            ords_error(StatusCode::BAD_GATEWAY, None)
        }
        Ok(Ok(resp)) => {
            let (parts, incoming) = resp.into_parts();
            let mut out = Response::new(Body::new(incoming));
            *out.status_mut() = parts.status;
            *out.headers_mut() = strip(&parts.headers, &[]);
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_id_spellings_are_stripped() {
        let mut h = HeaderMap::new();
        for n in [
            "x-ords-client-id",
            "x_ords_client_id",
            "X_ORDS-Client_Id",
            "x-ords_client-id",
        ] {
            h.append(
                HeaderName::from_bytes(n.as_bytes()).unwrap(),
                HeaderValue::from_static("spoofed"),
            );
        }
        h.append(
            HeaderName::from_static("x-other"),
            HeaderValue::from_static("kept"),
        );
        let out = strip(&h, &[CLIENT_ID_HEADER]);
        assert_eq!(out.len(), 1);
        assert!(out.get("x-other").is_some());
    }
}
