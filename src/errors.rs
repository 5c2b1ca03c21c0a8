//! Raising errors with a SQLSTATE (docs/errors.md#sqlstates). Messages never contain secrets or
//! tokens (docs/secrets.md#never-in-logs).
use pgrx::pg_sys::panic::ErrorReport;
use pgrx::prelude::*;

/// Raise an ERROR with `code`, `message` and an optional hint. Never returns.
pub fn raise(code: PgSqlErrorCode, message: impl Into<String>, hint: Option<&str>) -> ! {
    let mut report = ErrorReport::new(code, message.into(), "pg_ords");
    if let Some(h) = hint {
        report = report.set_hint(h.to_string());
    }
    report.report(PgLogLevel::ERROR);
    // report(ERROR) does not return; this line only satisfies the type checker.
    unreachable!("ereport(ERROR) returned")
}

/// An SPI failure inside pg_ords is a bug or a broken catalog, never user input.
pub fn spi_failed(what: &str, e: pgrx::spi::Error) -> ! {
    raise(
        PgSqlErrorCode::ERRCODE_INTERNAL_ERROR,
        format!("pg_ords could not {what}: {e}"),
        Some(
            "Check that the pg_ords extension is installed completely (ALTER EXTENSION pg_ords UPDATE).",
        ),
    )
}
